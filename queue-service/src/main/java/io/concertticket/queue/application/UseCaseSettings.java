package io.concertticket.queue.application;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * The settings the use cases go by, read from queue-service's configuration (the same {@code queue.*} keys and
 * environment variables). The poll bounds are read here only and declared here; the others are also read by
 * infrastructure, so their defaults and meaning are declared once, in infrastructure's {@code QueueConfig}, and
 * this is the use cases' view of them.
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
    }

    interface Tokens {
        Duration activePeriod();

        Duration abandonAfter();
    }

    interface Sweep {
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
