package io.concertticket.concert.infrastructure;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * The in-memory views of the sale (env {@code CONCERT_CACHE_SEATS_MAX_AGE} etc.). They only ever answer
 * reads and refuse holds early; every decision that sells a seat is taken by the database.
 */
@ConfigMapping(prefix = "concert.cache")
public interface ReadCacheConfig {

    Seats seats();

    Catalogue catalogue();

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

    interface Catalogue {
        /** The concert list and a concert's schedules are re-read in the background this long after the last read. */
        @WithDefault("500ms")
        Duration refreshAfter();

        /** Never served older than this from memory (plus one read of the database). */
        @WithDefault("2s")
        Duration maxAge();

        /** {@code Cache-Control: max-age} for clients, the ingress and CDNs. */
        @WithDefault("5s")
        Duration httpMaxAge();
    }
}
