package io.concertticket.queue.infrastructure;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the queue can be tuned with; each key is also an environment variable (QUEUE_ADMISSION_BATCH_SIZE…). The
 * use cases and their timers read theirs through the application's UseCaseSettings (the poll bounds, the sweeps
 * and the admission timer's switch are declared there).
 */
@ConfigMapping(prefix = "queue")
public interface QueueConfig {

    Admission admission();

    Tokens tokens();

    Cache cache();

    Estimate estimate();

    AccessToken accessToken();

    interface Admission {
        /** Waiting tokens activated per room and tick. */
        @WithDefault("20")
        int batchSize();

        /** Time between two batches of one room. Ticks are counted on the database clock, shared by all replicas. */
        @WithDefault("5s")
        Duration tick();

        /** Cap on concurrently ACTIVE tokens per concert; 0 = no cap. */
        @WithDefault("0")
        int maxActivePerConcert();
    }

    interface Tokens {
        /** How long an ACTIVE token (and its access token) lives after activation. */
        @WithDefault("10m")
        Duration activePeriod();

        /** A waiting token not polled for this long is dropped (EXPIRED, reason ABANDONED). */
        @WithDefault("5m")
        Duration abandonAfter();
    }

    interface Cache {
        /**
         * How often each replica reads the changes other replicas (and the sweeps) made: a poll answered
         * from memory is at most about this much behind the database.
         */
        @WithDefault("200ms")
        Duration refreshInterval();

        /** How often poll times recorded in memory are written to the database. Keep it far below tokens.abandon-after. */
        @WithDefault("10s")
        Duration pollFlushInterval();

        /** Tokens held in memory per replica (the least recently polled go first; they are reloaded on demand). */
        @WithDefault("1000000")
        long maxTokens();
    }

    interface Estimate {
        /**
         * How far back the admission rounds a wait is estimated from reach: the observed rate is the places
         * those rounds offered per second (since the last pause or resume). Longer is steadier, shorter follows
         * a change of pace sooner.
         */
        @WithDefault("60s")
        Duration window();
    }

    interface AccessToken {
        @WithDefault("concert-queue")
        String issuer();

        /**
         * RSA private key, PEM (PKCS#8, "BEGIN PRIVATE KEY"). The public key is derived from it. All
         * replicas must share it; without it (and without private-key-location) a development key is
         * generated at start, which only works with a single replica.
         */
        Optional<String> privateKey();

        /** A file holding the PEM private key, as an alternative to private-key. */
        Optional<String> privateKeyLocation();

        /**
         * Files of PEM public keys ("BEGIN PUBLIC KEY") published in the JWKS beside the signing key, never
         * used to sign: the next key before a rotation (so every gateway knows it before any replica signs
         * with it) and the previous one after (until the last token it signed has expired, 10 minutes).
         * docs/deployment.md describes the rotation.
         */
        Optional<List<String>> publishedPublicKeyLocations();
    }
}
