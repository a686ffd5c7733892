package io.concertticket.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Settings of the event backbone, all under {@code event-backbone.*} (environment: {@code EVENT_BACKBONE_*}).
 * Only {@code event-backbone.source} has no default.
 */
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

        /** First back-off after a failed batch (Kafka or the database unreachable); doubles up to {@link #maxBackoff()}. */
        @WithDefault("200ms")
        Duration minBackoff();

        /** Back-off while Kafka is unreachable grows up to this. */
        @WithDefault("10s")
        Duration maxBackoff();

        /** How long to wait for the broker to acknowledge a batch. */
        @WithDefault("15s")
        Duration sendTimeout();

        /**
         * How long a replica waits for the relay lock held by another replica before looking again;
         * while it waits it is woken the moment the other replica's batch commits.
         */
        @WithDefault("500ms")
        Duration lockWait();

        /** On shutdown, how long the relay may take to finish the batch in flight. */
        @WithDefault("5s")
        Duration shutdownTimeout();
    }

    interface Consumer {
        /**
         * First back-off after a transient failure to apply an event; doubles up to {@link #maxBackoff()}.
         * Transient failures are retried without limit (EventConsumerSupport says why).
         */
        @WithDefault("100ms")
        Duration minBackoff();

        @WithDefault("5s")
        Duration maxBackoff();

        /** The {@code event-consumers} wellness check warns once an event has been failing this long. */
        @WithDefault("30s")
        Duration warnAfter();

        /** Processed-event ids are kept this long (far beyond any redelivery window). */
        @WithDefault("P7D")
        Duration inboxRetention();

        /**
         * How often ids older than {@link #inboxRetention()} are deleted. Read by the scheduler as
         * {@code ${event-backbone.consumer.inbox-cleanup-every:1h}}; "off" disables the cleanup.
         */
        @WithDefault("1h")
        String inboxCleanupEvery();
    }
}
