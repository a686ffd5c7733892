package io.concertticket.queue.infrastructure;

import io.concertticket.queue.application.SalePaces;
import io.concertticket.queue.domain.ObservedAdmission;
import io.concertticket.queue.domain.SaleControls;
import io.concertticket.queue.domain.SalePace;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * This replica's in-memory view of every sale's controls and of the admission rounds it ran lately, so a
 * poll's estimate and the public status cost no database round trip. Re-read whole (a row per sale with
 * controls, a row per sale that admitted within the estimate window: small) by {@link QueueReadModel}'s
 * refresh, every {@code queue.cache.refresh-interval}, in the same pass as the waiting lines and in an order
 * that keeps the two consistent (see there), so an operator's change shows on every replica within about
 * that long.
 */
@ApplicationScoped
public class SaleControlsView implements SalePaces {

    private record Controlled(SaleControls controls, long admissionSinceMs) {
    }

    private final QueueConfig config;
    private final SaleControlRepository repository;
    private volatile Map<Long, Controlled> controls = Map.of();
    private volatile Map<Long, ObservedAdmission> observed = Map.of();
    /** database clock minus this replica's clock, at the last refresh */
    private volatile long clockOffsetMs;

    SaleControlsView(QueueConfig config, SaleControlRepository repository) {
        this.config = config;
        this.repository = repository;
    }

    @Override
    public SalePace pace(long concertId) {
        long now = System.currentTimeMillis() + clockOffsetMs;
        Controlled c = controls.get(concertId);
        SaleControls sale = c == null ? repository.defaults() : c.controls();
        if (!sale.admits()) {
            return new SalePace(sale, 0, Math.max(0, (now - c.admissionSinceMs()) / 1000));
        }
        ObservedAdmission seen = observed.get(concertId);
        if (seen == null) {
            return new SalePace(sale, 0, 0);
        }
        return new SalePace(sale, seen.placesPerSecond(now, sale.tick().toMillis()), seen.stillSeconds(now));
    }

    /** What one read of the controls found, kept apart until {@link #publish} makes it this replica's view. */
    record Snapshot(Map<Long, Controlled> controls, Map<Long, ObservedAdmission> observed, long clockOffsetMs) {
    }

    /** Reads the controls and the recent rounds on {@code c} (in auto-commit), without answering with them yet. */
    Snapshot read(Connection c) throws SQLException {
        Map<Long, Controlled> nextControls = new HashMap<>();
        Map<Long, ObservedAdmission> nextObserved = new HashMap<>();
        long dbNow;
        long localBefore = System.currentTimeMillis();
        try (PreparedStatement s = c.prepareStatement("SELECT CAST(extract(epoch FROM clock_timestamp()) * 1000 AS bigint)");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            dbNow = rs.getLong(1);
        }
        long offset = dbNow - (localBefore + System.currentTimeMillis()) / 2;
        try (PreparedStatement s = c.prepareStatement("SELECT concert_id, admission, batch_size, tick_ms, max_active, "
                + "CAST(extract(epoch FROM admission_since) * 1000 AS bigint) FROM sale_control");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                SaleControls sale = repository.of(rs.getString(2), (Number) rs.getObject(3), (Number) rs.getObject(4),
                        (Number) rs.getObject(5));
                nextControls.put(rs.getLong(1), new Controlled(sale, rs.getLong(6)));
            }
        }
        // per sale: the rounds of the window since its admission last changed state
        try (PreparedStatement s = c.prepareStatement("SELECT r.concert_id, "
                + "CAST(extract(epoch FROM min(r.round_at)) * 1000 AS bigint), CAST(extract(epoch FROM max(r.round_at)) * 1000 AS bigint), "
                + "count(*), sum(r.slots) - (array_agg(r.slots ORDER BY r.round_at))[1], "
                + "CAST(extract(epoch FROM max(r.round_at) FILTER (WHERE r.slots > 0)) * 1000 AS bigint) "
                + "FROM admission_round r LEFT JOIN sale_control c ON c.concert_id = r.concert_id "
                + "WHERE r.round_at > clock_timestamp() - make_interval(secs => ?) "
                + "AND r.round_at >= coalesce(c.admission_since, '-infinity') GROUP BY r.concert_id")) {
            s.setDouble(1, config.estimate().window().toMillis() / 1000.0);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    long moved = rs.getLong(6);
                    if (rs.wasNull()) {
                        moved = -1;
                    }
                    nextObserved.put(rs.getLong(1), new ObservedAdmission(rs.getLong(2), rs.getLong(3), rs.getInt(4), rs.getLong(5), moved));
                }
            }
        }
        return new Snapshot(Map.copyOf(nextControls), Map.copyOf(nextObserved), offset);
    }

    /** From now on, answers with {@code read}. */
    void publish(Snapshot read) {
        clockOffsetMs = read.clockOffsetMs();
        controls = read.controls();
        observed = read.observed();
    }
}
