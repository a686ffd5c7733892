package io.concertticket.events;

import java.time.Duration;

/** Relay settings for relays a test runs by hand. */
record TestRelayConfig(int batchSize, Duration pollInterval, Duration minBackoff, Duration maxBackoff,
                       Duration sendTimeout, Duration lockWait) implements EventBackboneConfig.Relay {

    static TestRelayConfig defaults() {
        return new TestRelayConfig(500, Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofSeconds(1),
                Duration.ofSeconds(3), Duration.ofMillis(500));
    }

    TestRelayConfig withBatchSize(int size) {
        return new TestRelayConfig(size, pollInterval, minBackoff, maxBackoff, sendTimeout, lockWait);
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public Duration shutdownTimeout() {
        return sendTimeout.plusSeconds(1);
    }
}
