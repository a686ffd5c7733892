package io.concertticket.events;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The services' HTTP latency gets the eight buckets the p99 alerts of holds and payments are computed from. */
class HttpLatencyHistogramTest {

    @Test
    void httpServerRequestsGetEightBucketsAndOtherTimersNone() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(HttpLatencyHistogram.filter());
        Timer hold = Timer.builder("http.server.requests").tag("uri", "/api/v1/reservations").register(registry);
        hold.record(Duration.ofMillis(30));
        hold.record(Duration.ofMillis(700));
        hold.record(Duration.ofMillis(3000));
        Timer other = Timer.builder("outbox.publish.delay").register(registry);
        other.record(Duration.ofMillis(30));

        CountAtBucket[] buckets = hold.takeSnapshot().histogramCounts();
        assertThat(Arrays.stream(buckets).map(b -> (long) b.bucket(java.util.concurrent.TimeUnit.MILLISECONDS)))
                .containsExactly(25L, 50L, 100L, 250L, 500L, 1000L, 2500L, 5000L);
        assertThat(Arrays.stream(buckets).mapToDouble(CountAtBucket::count).toArray())
                .containsExactly(0, 1, 1, 1, 1, 2, 2, 3);
        assertThat(other.takeSnapshot().histogramCounts()).isEmpty();
    }
}
