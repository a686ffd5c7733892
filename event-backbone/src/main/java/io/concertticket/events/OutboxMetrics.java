package io.concertticket.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What an operator watches on the outbox:
 * <ul>
 *   <li>{@code outbox_events_published_total}: rows the broker acknowledged;</li>
 *   <li>{@code outbox_relay_failures_total}: failed batches (each one is retried after a back-off);</li>
 *   <li>{@code outbox_publish_delay_seconds}: from the writing transaction's start to the broker's ack;</li>
 *   <li>{@code outbox_pending}: rows not yet published;</li>
 *   <li>{@code outbox_oldest_pending_age_seconds}: age of the oldest of them, the relay's lag
 *       (0 when nothing is pending); alert when it keeps growing.</li>
 * </ul>
 * The two gauges read the table on scrape (two index lookups, cached for a second), so they keep
 * telling the truth while the relay itself is stuck waiting for Kafka.
 */
final class OutboxMetrics {

    private static final long CACHE_NANOS = Duration.ofSeconds(1).toNanos();

    private final Counter published;
    private final Counter failures;
    private final Timer delay;
    private final DataSource dataSource;
    private long readAt;
    private double pending;
    private double oldestAge;

    private OutboxMetrics(MeterRegistry meters, DataSource dataSource) {
        this.dataSource = dataSource;
        if (meters == null) {
            published = null;
            failures = null;
            delay = null;
            return;
        }
        published = Counter.builder("outbox.events.published").description("Outbox rows acknowledged by the broker").register(meters);
        failures = Counter.builder("outbox.relay.failures").description("Relay batches that failed and will be retried").register(meters);
        delay = Timer.builder("outbox.publish.delay").description("From the writing transaction's start to the broker's ack")
                .publishPercentiles(0.5, 0.99).register(meters);
        Gauge.builder("outbox.pending", this, m -> m.read(true)).description("Outbox rows not yet published").register(meters);
        Gauge.builder("outbox.oldest.pending.age", this, m -> m.read(false)).baseUnit("seconds")
                .description("Age of the oldest unpublished outbox row (0 when none)").register(meters);
    }

    static OutboxMetrics register(MeterRegistry meters, DataSource dataSource) {
        return new OutboxMetrics(meters, dataSource);
    }

    /** Metrics that count nothing: for relays started by tests next to the application's own. */
    static OutboxMetrics none() {
        return new OutboxMetrics(null, null);
    }

    void published(int rows, List<Instant> createdAt) {
        if (published == null) {
            return;
        }
        published.increment(rows);
        Instant now = Instant.now();
        for (Instant created : createdAt) {
            delay.record(Duration.between(created, now));
        }
    }

    void failure() {
        if (failures != null) {
            failures.increment();
        }
    }

    private synchronized double read(boolean count) {
        long now = System.nanoTime();
        if (readAt == 0 || now - readAt > CACHE_NANOS) {
            try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM outbox_event")) {
                    rs.next();
                    pending = rs.getLong(1);
                }
                try (ResultSet rs = st.executeQuery(
                        "SELECT COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - (SELECT created_at FROM outbox_event ORDER BY seq LIMIT 1)), 0)")) {
                    rs.next();
                    oldestAge = Math.max(0, rs.getDouble(1));
                }
            } catch (Exception e) {
                pending = Double.NaN;
                oldestAge = Double.NaN;
            }
            readAt = now;
        }
        return count ? pending : oldestAge;
    }
}
