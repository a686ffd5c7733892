package io.concertticket.queue.application;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * The settings the use cases, and the timers that run them, go by, read from queue-service's configuration (the
 * same {@code queue.*} keys and environment variables). The poll bounds, the sweeps and the admission timer's
 * switch are read here only and declared here; the others are also read by infrastructure, so their defaults and
 * meaning are declared once, in infrastructure's {@code QueueConfig}, and this is the use cases' view of them.
 */
@ConfigMapping(prefix = "queue")
public interface UseCaseSettings {

    Admission admission();

    Tokens tokens();

    Sweep sweep();

    Estimate estimate();

    Poll poll();

    interface Admission {
        /** The configured tick, for sales whose operators set none. */
        Duration tick();

        /** Run admission automatically (tests switch it off and drive the use case tick by tick). */
        @WithDefault("true")
        boolean schedulerEnabled();
    }

    interface Tokens {
        Duration activePeriod();

        Duration abandonAfter();
    }

    interface Sweep {
        /** Run the expiry and abandon sweeps automatically. */
        @WithDefault("true")
        boolean enabled();

        /** How often ACTIVE tokens past their expiry (and the waiting of ended sales) are expired; 1s at least (Quarkus' scheduler). */
        @WithDefault("1s")
        Duration expiryInterval();

        /** How often abandoned waiting tokens are looked for; 1s at least (Quarkus' scheduler). */
        @WithDefault("15s")
        Duration abandonInterval();

        /** Tokens expired per transaction. */
        @WithDefault("500")
        int batchSize();
    }

    interface Estimate {
        Duration window();
    }

    interface Poll {
        @WithDefault("1s")
        Duration minPollAfter();

        /** Upper bound of pollAfterSeconds; must stay well below tokens.abandon-after. */
        @WithDefault("30s")
        Duration maxPollAfter();
    }
}
