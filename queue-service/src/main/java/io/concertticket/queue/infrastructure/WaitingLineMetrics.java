package io.concertticket.queue.infrastructure;

import io.concertticket.queue.application.PreQueueCounts;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per sale, what an operator watches: {@code queue_waiting{concert}} (tokens in line),
 * {@code queue_pre_queue{concert}} (tokens in a sale's pre-queue, before its opening; 0 once it opened) and
 * {@code queue_active{concert}} (admitted tokens not yet expired), read from the database (every
 * replica sees the same numbers, whichever one is scraped) every 5 s. One series per concert that has
 * anyone waiting or admitted: the tag's values are bounded by the sales under way, and a concert whose
 * line and admitted set are both empty disappears. Admissions per second per concert:
 * {@code rate(queue_tokens_activated_total[1m])} (AdmitNextBatch).
 */
@ApplicationScoped
public class WaitingLineMetrics implements PreQueueCounts {

    private static final Logger LOG = Logger.getLogger(WaitingLineMetrics.class);

    private final DataSource dataSource;
    private final MultiGauge waiting;
    private final MultiGauge preQueue;
    private final MultiGauge active;
    /** The last counts of people in each sale's pre-queue, for the sale's public status. */
    private volatile Map<Long, Long> preQueued = Map.of();

    WaitingLineMetrics(DataSource dataSource, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.waiting = MultiGauge.builder("queue.waiting").description("Tokens waiting in line, per concert").register(meters);
        this.preQueue = MultiGauge.builder("queue.pre.queue").description("Tokens waiting in a sale's pre-queue (no place until the opening), per concert")
                .register(meters);
        this.active = MultiGauge.builder("queue.active").description("Admitted tokens not yet expired, per concert").register(meters);
    }

    /** How many waited in the sale's pre-queue at the last refresh (every 5 s). */
    @Override
    public long preQueued(long concertId) {
        return preQueued.getOrDefault(concertId, 0L);
    }

    @Scheduled(every = "5s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void refresh() {
        Map<Long, long[]> counts = new TreeMap<>();
        try (Connection c = dataSource.getConnection()) {
            // two queries, each on its partial index (queue_token_waiting, queue_token_active_per_concert);
            // a negative arrival number is a place in the pre-queue (slot 2)
            count(c, "STANDBY", 0, counts);
            count(c, "ACTIVE", 1, counts);
        } catch (SQLException e) {
            LOG.debugf("waiting line metrics not refreshed: %s", e);
            return; // keep the last values; the database's own health check reports the outage
        }
        List<MultiGauge.Row<?>> waitingRows = new ArrayList<>(counts.size());
        List<MultiGauge.Row<?>> preQueueRows = new ArrayList<>();
        List<MultiGauge.Row<?>> activeRows = new ArrayList<>(counts.size());
        Map<Long, Long> preQueuedNow = new HashMap<>();
        counts.forEach((concert, n) -> {
            Tags tags = Tags.of("concert", Long.toString(concert));
            waitingRows.add(MultiGauge.Row.of(tags, n[0]));
            activeRows.add(MultiGauge.Row.of(tags, n[1]));
            // a series for every sale under way, like the other two: a chart shows the pre-queue dropping to 0 at
            // the opening instead of ending
            preQueueRows.add(MultiGauge.Row.of(tags, n[2]));
            if (n[2] > 0) {
                preQueuedNow.put(concert, n[2]);
            }
        });
        waiting.register(waitingRows, true);
        preQueue.register(preQueueRows, true);
        active.register(activeRows, true);
        preQueued = preQueuedNow;
    }

    private static void count(Connection c, String status, int slot, Map<Long, long[]> counts) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT concert_id, count(*) FILTER (WHERE seq > 0), count(*) FILTER (WHERE seq < 0) FROM queue_token "
                        + "WHERE status = ? GROUP BY concert_id")) {
            st.setString(1, status);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    long[] n = counts.computeIfAbsent(rs.getLong(1), k -> new long[3]);
                    n[slot] = rs.getLong(2);
                    n[2] += rs.getLong(3);
                }
            }
        }
    }
}
