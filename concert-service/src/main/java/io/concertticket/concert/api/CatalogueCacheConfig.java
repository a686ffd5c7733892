package io.concertticket.concert.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * The catalogue's answers kept in memory (env {@code CONCERT_CACHE_CATALOGUE_MAX_AGE} etc.): they only ever answer
 * reads. The seat board's settings are infrastructure's {@code ReadCacheConfig}.
 */
@ConfigMapping(prefix = "concert.cache.catalogue")
public interface CatalogueCacheConfig {

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
