package io.concertticket.events;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

/**
 * Keeps {@code processed_event} bounded: ids older than {@code event-backbone.consumer.inbox-retention}
 * (7 days by default, far beyond any redelivery) are deleted every
 * {@code event-backbone.consumer.inbox-cleanup-every}, in small chunks so no long lock is held.
 * Safe with several replicas: each delete is idempotent.
 */
@ApplicationScoped
public class InboxCleanup {

    private static final Logger LOG = Logger.getLogger(InboxCleanup.class);
    private static final int CHUNK = 5000;

    private final AgroalDataSource dataSource;
    private final EventBackboneConfig config;

    InboxCleanup(AgroalDataSource dataSource, EventBackboneConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    @Scheduled(identity = "event-backbone-inbox-cleanup", every = "${event-backbone.consumer.inbox-cleanup-every:1h}",
            delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            int n = purgeOlderThan(config.consumer().inboxRetention());
            if (n > 0) {
                LOG.infof("inbox cleanup: deleted %d processed-event ids older than %s", n, config.consumer().inboxRetention());
            }
        } catch (SQLException e) {
            LOG.warnf("inbox cleanup failed (retried at the next run): %s", e.getMessage());
        }
    }

    /** Deletes the processed-event ids recorded more than {@code retention} ago; returns how many. */
    public int purgeOlderThan(Duration retention) throws SQLException {
        Timestamp cutoff = Timestamp.from(Instant.now().minus(retention));
        int total = 0;
        try (Connection c = dataSource.getConnection();
             PreparedStatement delete = c.prepareStatement(
                     "DELETE FROM processed_event WHERE ctid IN "
                             + "(SELECT ctid FROM processed_event WHERE processed_at < ? LIMIT " + CHUNK + ")")) {
            int n;
            do {
                delete.setTimestamp(1, cutoff);
                n = delete.executeUpdate();
                total += n;
            } while (n == CHUNK);
        }
        return total;
    }
}
