package io.concertticket.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "event-backbone")
public interface EventBackboneConfig {

    /** CloudEvents {@code source} of the events this service publishes, e.g. {@code /concert-service}. */
    String source();

    Relay relay();

    Consumer consumer();

    interface Relay {
        /** Turn the relay off (a service that only consumes). */
        @WithDefault("true")
        boolean enabled();

        /** Rows published per transaction. */
        @WithDefault("500")
        int batchSize();

        /** Fallback polling when no local commit wakes the relay (rows written by another replica, or after an outage). */
        @WithDefault("500ms")
        Duration pollInterval();

        /** Back-off while Kafka is unreachable grows up to this. */
        @WithDefault("10s")
        Duration maxBackoff();

        /** How long to wait for the broker to acknowledge a batch. */
        @WithDefault("15s")
        Duration sendTimeout();
    }

    interface Consumer {
        /** Attempts for a transient failure (database down…) before the message is dead-lettered. */
        @WithDefault("30")
        int maxAttempts();

        @WithDefault("5s")
        Duration maxBackoff();

        /** Processed-event ids are kept this long (far beyond any redelivery window). */
        @WithDefault("P7D")
        Duration inboxRetention();
    }
}
