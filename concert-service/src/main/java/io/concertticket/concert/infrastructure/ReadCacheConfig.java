package io.concertticket.concert.infrastructure;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * The seat board's settings (env {@code CONCERT_CACHE_SEATS_MAX_AGE} etc.). It only ever answers reads and refuses
 * holds early; every decision that sells a seat is taken by the database. The catalogue's are in the API's
 * {@code CatalogueCacheConfig}.
 */
@ConfigMapping(prefix = "concert.cache")
public interface ReadCacheConfig {

    Seats seats();

    interface Seats {
        /** A schedule's seat statuses are re-read in the background this long after the last read, while in use. */
        @WithDefault("100ms")
        Duration refreshAfter();

        /** Never served older than this (plus one read of the database): the bound on how far a listing lags. */
        @WithDefault("250ms")
        Duration maxAge();

        /** Schedules kept at once (each a few bytes per seat). */
        @WithDefault("2000")
        long maxSchedules();
    }
}
