package io.concertticket.concert.infrastructure;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.concertticket.concert.application.SeatBoard;
import io.concertticket.concert.domain.SeatStatus;
import io.concertticket.concert.domain.SeatView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The seat board made of database snapshots: what the database said at most {@code concert.cache.seats.max-age}
 * (plus one read) ago, plus the seats this replica has since seen taken.
 *
 * <p>Fed only from the database (a snapshot per schedule, re-read in the background while it is in use) and
 * from this replica's own holds, never from particular events: seats freed by expiry, by another replica or
 * by anything else show as free again with the next snapshot, whoever freed them and however. A seat is refused
 * only if a snapshot saw it sold, or held with its deadline still ahead, or this replica saw it taken since that
 * snapshot ({@link SeatBoard} says why that is safe).
 */
@ApplicationScoped
public class SnapshotSeatBoard implements SeatBoard {

    private static final String SEATS = "SELECT id, seat_number, price, status, hold_expires_at FROM seat WHERE schedule_id = ? ORDER BY seat_number";
    /** Marks older than any snapshot that could still be served are dropped. */
    private static final long MARK_LIFETIME_NANOS = TimeUnit.SECONDS.toNanos(10);

    /**
     * The seats of a schedule as read at {@code readAt} ({@link System#nanoTime()} before the query started), and
     * until when (epoch millis) each seat that is not AVAILABLE will surely stay taken: a sold seat for ever, a
     * held one until its hold's deadline (a hold past its deadline may be freed at any moment, so it is left to
     * the database).
     */
    record Snapshot(long readAt, List<SeatView> seats, Map<Integer, Long> takenUntil) {
    }

    /** This replica saw the seat taken at {@code at} (nanoTime), surely until {@code until} (epoch millis). */
    record Mark(long at, long until) {
    }

    private final DataSource dataSource;
    private final ExecutorService refresher;
    private final LoadingCache<Long, Snapshot> snapshots;
    /** Per schedule: seat number → when this replica learnt it is taken (own hold committed, or refused by the database). */
    private final Cache<Long, Map<Integer, Mark>> takenHere;
    private final long refusalMarkMillis;
    private final Counter refusals;

    SnapshotSeatBoard(DataSource dataSource, ReadCacheConfig config, MeterRegistry registry) {
        this.dataSource = dataSource;
        // its own threads: the reads are blocking JDBC, and the common pool has one thread on two cores
        this.refresher = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "seat-board-refresh");
            t.setDaemon(true);
            return t;
        });
        ReadCacheConfig.Seats seats = config.seats();
        this.refusalMarkMillis = seats.maxAge().toMillis();
        // refreshAfterWrite keeps a schedule in use re-read in the background; expireAfterWrite guarantees that
        // a schedule nobody looked at for a while is read afresh (synchronously) instead of served stale.
        this.snapshots = Caffeine.newBuilder()
                .refreshAfterWrite(seats.refreshAfter())
                .expireAfterWrite(seats.maxAge())
                .maximumSize(seats.maxSchedules())
                .executor(refresher)
                .build(this::read);
        this.takenHere = Caffeine.newBuilder()
                .expireAfterAccess(java.time.Duration.ofMinutes(10))
                .maximumSize(seats.maxSchedules())
                .build();
        this.refusals = Counter.builder("concert.seat.board.refusals")
                .description("Holds refused from memory (the seat was seen taken), without a database round trip")
                .register(registry);
    }

    @PreDestroy
    void stop() {
        refresher.shutdownNow();
    }

    @Override
    public boolean refuses(long scheduleId, int seatNumber) {
        Snapshot snapshot = snapshots.get(scheduleId);
        long now = System.currentTimeMillis();
        Long until = snapshot.takenUntil().get(seatNumber);
        boolean taken = (until != null && until > now) || takenSince(scheduleId, seatNumber, snapshot.readAt(), now);
        if (taken) {
            refusals.increment();
        }
        return taken;
    }

    @Override
    public List<SeatView> seats(long scheduleId) {
        Snapshot snapshot = snapshots.get(scheduleId);
        Map<Integer, Mark> marks = takenHere.getIfPresent(scheduleId);
        if (marks == null || marks.isEmpty()) {
            return snapshot.seats();
        }
        long nanos = System.nanoTime();
        long now = System.currentTimeMillis();
        marks.values().removeIf(m -> nanos - m.at() > MARK_LIFETIME_NANOS);
        List<SeatView> seats = new ArrayList<>(snapshot.seats().size());
        for (SeatView s : snapshot.seats()) {
            Mark mark = s.available() ? marks.get(s.seatNumber()) : null;
            seats.add(mark != null && mark.at() - snapshot.readAt() > 0 && mark.until() > now
                    ? new SeatView(s.seatId(), s.seatNumber(), s.price(), false) : s);
        }
        return seats;
    }

    /** Until a snapshot read after this moment says otherwise. */
    @Override
    public void heldHere(long scheduleId, int seatNumber, Instant until) {
        mark(scheduleId, seatNumber, until.toEpochMilli());
    }

    /** For no longer than a snapshot may be old, so the next losers wait for the snapshot. */
    @Override
    public void refusedByDatabase(long scheduleId, int seatNumber) {
        mark(scheduleId, seatNumber, System.currentTimeMillis() + refusalMarkMillis);
    }

    private void mark(long scheduleId, int seatNumber, long until) {
        takenHere.get(scheduleId, id -> new ConcurrentHashMap<>()).put(seatNumber, new Mark(System.nanoTime(), until));
    }

    private boolean takenSince(long scheduleId, int seatNumber, long readAt, long now) {
        Map<Integer, Mark> marks = takenHere.getIfPresent(scheduleId);
        Mark mark = marks == null ? null : marks.get(seatNumber);
        return mark != null && mark.at() - readAt > 0 && mark.until() > now;
    }

    /** One statement, outside any transaction (autocommit): no BEGIN/COMMIT round trips for a read. */
    private Snapshot read(Long scheduleId) throws SQLException {
        long readAt = System.nanoTime();
        List<SeatView> seats = new ArrayList<>();
        Map<Integer, Long> takenUntil = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(SEATS)) {
            st.setLong(1, scheduleId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    SeatStatus status = SeatStatus.valueOf(rs.getString(4));
                    seats.add(new SeatView(rs.getLong(1), rs.getInt(2), rs.getLong(3), status));
                    if (status == SeatStatus.DONE) {
                        takenUntil.put(rs.getInt(2), Long.MAX_VALUE);
                    } else if (status == SeatStatus.HELD) {
                        Timestamp deadline = rs.getTimestamp(5);
                        takenUntil.put(rs.getInt(2), deadline == null ? 0L : deadline.getTime());
                    }
                }
            }
        }
        return new Snapshot(readAt, List.copyOf(seats), takenUntil);
    }
}
