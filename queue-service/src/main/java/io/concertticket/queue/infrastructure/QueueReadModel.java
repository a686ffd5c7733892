package io.concertticket.queue.infrastructure;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.concertticket.queue.application.QueueMemory;
import io.concertticket.queue.domain.ExpiryReason;
import io.concertticket.queue.domain.TokenSnapshot;
import io.concertticket.queue.domain.TokenStatus;
import io.concertticket.queue.domain.WaitingLine;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * This replica's in-memory view of tokens and waiting lines, so that a poll costs no database
 * round trip (only the first poll of a token this replica has never seen loads it).
 *
 * <p><b>Keeping current.</b> Every {@code queue.cache.refresh-interval} the view reads what changed
 * since the last read, whoever changed it (this replica, another one, a sweep, the payment consumer):
 * triggers stamp each status change and each room change with the writing transaction's id
 * ({@code change_xid}), and the view reads the rows stamped by transactions that had not finished at
 * its previous read ({@code change_xid >= } that read's snapshot xmin). That catches every commit
 * exactly, including late commits of transactions that started earlier, with no clock assumption.
 * So a replica's answers are at most about one refresh interval (plus the query time) behind the
 * database. Statuses only move forward, so racing updates of one entry merge to the newest.
 *
 * <p><b>Controls with the lines.</b> The same pass re-reads the sales' controls ({@link SaleControlsView}):
 * read before the waiting lines, shown after them. An admission round and an operator's pause take the same
 * lock (the room's admission row), so every round committed before a pause is in the lines read after the pause was seen. Readers
 * take them the other way round, controls first, then the line: a poll that says "paused" therefore never
 * shows a place from before the last round (with two loops refreshing apart, it showed one batch too far back
 * for up to an interval).
 *
 * <p><b>Poll times.</b> A poll of a waiting token is recorded here and written to the database in
 * batches every {@code queue.cache.poll-flush-interval}; the abandon sweep reads them there. A write
 * is skipped when the stored time is recent enough to be far from the abandon limit.
 */
@ApplicationScoped
public class QueueReadModel implements QueueMemory {

    private static final Logger LOG = Logger.getLogger(QueueReadModel.class);
    private static final int FLUSH_CHUNK = 5000;
    private static final String TOKEN_COLUMNS = "id, concert_id, user_id, seq, status, activated_at, expires_at, expiry_reason";

    private final DataSource dataSource;
    private final QueueConfig config;
    private final SaleCatalogue sales;
    private final SaleControlsView controls;
    private final Cache<UUID, TokenSnapshot> tokens;
    private final Map<Long, WaitingLine> lines = new ConcurrentHashMap<>();
    private volatile Map<UUID, Long> polls = new ConcurrentHashMap<>();
    /** Snapshot xmin of the previous change read; -1 before the first one. */
    private volatile long changesSince = -1;
    private ScheduledExecutorService executor;

    QueueReadModel(DataSource dataSource, QueueConfig config, SaleCatalogue sales, SaleControlsView controls, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.config = config;
        this.sales = sales;
        this.controls = controls;
        Duration idle = max(config.tokens().abandonAfter(), config.tokens().activePeriod()).plusMinutes(1);
        this.tokens = Caffeine.newBuilder()
                .maximumSize(config.cache().maxTokens())
                .expireAfterAccess(idle)
                .build();
        Gauge.builder("queue.cache.tokens", tokens, Cache::estimatedSize).register(meters);
        Gauge.builder("queue.cache.rooms", lines, Map::size).register(meters);
    }

    void onStart(@Observes StartupEvent ev) {
        // a thread of its own, not @Scheduled: Quarkus' scheduler fires at most once a second, the refresh every
        // 200 ms; and one thread orders the refresh, the flush and the final flush at shutdown
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "queue-read-model");
            t.setDaemon(true);
            return t;
        });
        // the first read fixes where the change feed starts; it must happen before any token is loaded
        guarded("first refresh", this::refresh);
        long refresh = config.cache().refreshInterval().toMillis();
        executor.scheduleWithFixedDelay(() -> guarded("refresh", this::refresh), refresh, refresh, TimeUnit.MILLISECONDS);
        long flush = config.cache().pollFlushInterval().toMillis();
        executor.scheduleWithFixedDelay(() -> guarded("poll flush", this::flushPolls), flush, flush, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (executor != null) {
            executor.shutdown();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            guarded("final poll flush", this::flushPolls);
        }
    }

    @Override
    public Optional<TokenSnapshot> token(UUID id) {
        TokenSnapshot t = tokens.getIfPresent(id);
        if (t == null) {
            Optional<TokenSnapshot> loaded = loadToken(id);
            if (loaded.isEmpty()) {
                return loaded;
            }
            t = remember(loaded.get());
        }
        if (t.status() == TokenStatus.STANDBY && line(t.concertId()).hasLeft(t.seq())) {
            // the room already counts this token as served or dropped: the token's own change is on its
            // way through the change feed; fetch it now rather than answer with a stale status
            TokenSnapshot current = t;
            t = loadToken(id).map(this::remember).orElse(current);
        }
        return Optional.of(t);
    }

    /**
     * The token as {@link #token} would answer, when that needs no database read: it is in memory
     * and, if waiting, its room is too and does not count it as gone. Empty means "ask {@link #token}".
     */
    @Override
    public Optional<TokenSnapshot> tokenInMemory(UUID id) {
        TokenSnapshot t = tokens.getIfPresent(id);
        if (t == null) {
            return Optional.empty();
        }
        if (t.status() == TokenStatus.STANDBY) {
            WaitingLine line = lines.get(t.concertId());
            if (line == null || line.hasLeft(t.seq())) {
                return Optional.empty();
            }
        }
        return Optional.of(t);
    }

    @Override
    public WaitingLine line(long concertId) {
        WaitingLine line = lines.get(concertId);
        if (line == null) {
            line = rememberLine(loadLine(concertId));
        }
        return line;
    }

    @Override
    public TokenSnapshot remember(TokenSnapshot t) {
        return tokens.asMap().merge(t.id(), t, TokenSnapshot::newest);
    }

    @Override
    public WaitingLine rememberLine(WaitingLine line) {
        return lines.merge(line.concertId(), line, WaitingLine::newest);
    }

    @Override
    public void recordPoll(UUID id) {
        polls.put(id, System.currentTimeMillis());
    }

    /** Reads every change committed since the previous call, and the sales' controls (public so tests can force a refresh). */
    public synchronized void refresh() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            // taken before the reads: every transaction below this id had finished before they started
            long next;
            try (PreparedStatement s = c.prepareStatement("SELECT CAST(CAST(pg_snapshot_xmin(pg_current_snapshot()) AS text) AS bigint)");
                 ResultSet rs = s.executeQuery()) {
                rs.next();
                next = rs.getLong(1);
            }
            // controls before the rooms, shown after them: a pause seen here comes with every round committed before it
            SaleControlsView.Snapshot controlsRead = controls.read(c);
            // sales first (every one at the first read): a room's counters are never newer than its sale's opening
            sales.load(c, changesSince);
            if (changesSince >= 0) {
                // rooms first: token statuses read afterwards are at least as new as the counters
                refreshLines(c, changesSince);
                refreshTokens(c, changesSince);
            }
            controls.publish(controlsRead);
            changesSince = next;
            // rooms of ended sales leave memory (their waiting tokens are expired with reason SALE_CLOSED)
            sales.endedAt(Instant.now()).forEach(lines::remove);
        }
    }

    private void refreshLines(Connection c, long since) throws SQLException {
        List<long[]> changed = new ArrayList<>();
        // a room's arrivals and its admission progress are two rows, changed apart: either one changing re-reads both
        try (PreparedStatement s = c.prepareStatement("SELECT w.concert_id, w.last_seq, coalesce(a.served_up_to, 0), w.abandoned_total "
                + "FROM waiting_room w LEFT JOIN room_admission a ON a.concert_id = w.concert_id WHERE w.concert_id IN ("
                + "SELECT concert_id FROM waiting_room WHERE change_xid >= CAST(CAST(? AS text) AS xid8) UNION "
                + "SELECT concert_id FROM room_admission WHERE change_xid >= CAST(CAST(? AS text) AS xid8))")) {
            s.setLong(1, since);
            s.setLong(2, since);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    changed.add(new long[]{rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)});
                }
            }
        }
        for (long[] r : changed) {
            long concertId = r[0];
            WaitingLine known = lines.get(concertId);
            long[] dropped = known != null && known.droppedVersion() >= r[3] ? known.droppedSeqs() : loadDropped(c, concertId, r[2]);
            rememberLine(new WaitingLine(concertId, r[1], r[2], dropped, r[3]));
        }
    }

    private void refreshTokens(Connection c, long since) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + TOKEN_COLUMNS + " FROM queue_token "
                + "WHERE change_xid >= CAST(CAST(? AS text) AS xid8)")) {
            s.setLong(1, since);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    // kept even if this replica has not seen the token yet: a poll loading an older copy
                    // concurrently then merges into this newer one instead of overwriting it
                    remember(tokenOf(rs));
                }
            }
        }
    }

    private Optional<TokenSnapshot> loadToken(UUID id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT " + TOKEN_COLUMNS + " FROM queue_token WHERE id = ?")) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(tokenOf(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot load queue token", e);
        }
    }

    private WaitingLine loadLine(long concertId) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT w.last_seq, coalesce(a.served_up_to, 0), w.abandoned_total FROM waiting_room w "
                            + "LEFT JOIN room_admission a ON a.concert_id = w.concert_id WHERE w.concert_id = ?")) {
                s.setLong(1, concertId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return WaitingLine.empty(concertId);
                    }
                    long lastSeq = rs.getLong(1);
                    long served = rs.getLong(2);
                    long version = rs.getLong(3);
                    return new WaitingLine(concertId, lastSeq, served, loadDropped(c, concertId, served), version);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot load waiting room", e);
        }
    }

    /** Arrival numbers above the served counter whose tokens were dropped without being served. */
    private static long[] loadDropped(Connection c, long concertId, long servedUpTo) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT seq FROM queue_token "
                + "WHERE concert_id = ? AND status = 'EXPIRED' AND activated_at IS NULL AND seq > ? ORDER BY seq")) {
            s.setLong(1, concertId);
            s.setLong(2, servedUpTo);
            try (ResultSet rs = s.executeQuery()) {
                long[] seqs = new long[16];
                int n = 0;
                while (rs.next()) {
                    if (n == seqs.length) {
                        seqs = java.util.Arrays.copyOf(seqs, n * 2);
                    }
                    seqs[n++] = rs.getLong(1);
                }
                return java.util.Arrays.copyOf(seqs, n);
            }
        }
    }

    private static TokenSnapshot tokenOf(ResultSet rs) throws SQLException {
        String reason = rs.getString(8);
        return new TokenSnapshot(rs.getObject(1, UUID.class), rs.getLong(2), rs.getString(3), rs.getLong(4),
                TokenStatus.valueOf(rs.getString(5)), instant(rs.getTimestamp(6)), instant(rs.getTimestamp(7)),
                reason == null ? null : ExpiryReason.valueOf(reason));
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }

    /** Writes the recorded poll times (public so tests can force a flush). */
    public synchronized void flushPolls() throws SQLException {
        Map<UUID, Long> batch = polls;
        if (batch.isEmpty()) {
            return;
        }
        polls = new ConcurrentHashMap<>();
        // a stored time this recent is as good as the new one: no write (the sweep's precision is far coarser)
        double slackSeconds = config.tokens().abandonAfter().toMillis() / 10_000.0;
        List<Map.Entry<UUID, Long>> entries = new ArrayList<>(new HashMap<>(batch).entrySet());
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE queue_token AS t SET last_polled_at = to_timestamp(v.ms / 1000.0) "
                     + "FROM unnest(?, ?) AS v(id, ms) "
                     + "WHERE t.id = v.id AND t.status = 'STANDBY' "
                     + "AND t.last_polled_at < to_timestamp(v.ms / 1000.0) - make_interval(secs => ?)")) {
            c.setAutoCommit(true);
            for (int from = 0; from < entries.size(); from += FLUSH_CHUNK) {
                List<Map.Entry<UUID, Long>> chunk = entries.subList(from, Math.min(entries.size(), from + FLUSH_CHUNK));
                Array ids = c.createArrayOf("uuid", chunk.stream().map(Map.Entry::getKey).toArray());
                Array times = c.createArrayOf("bigint", chunk.stream().map(Map.Entry::getValue).toArray());
                s.setArray(1, ids);
                s.setArray(2, times);
                s.setDouble(3, slackSeconds);
                s.executeUpdate();
            }
        } catch (SQLException e) {
            // keep the times for the next flush rather than lose them (newer polls win)
            batch.forEach((id, ms) -> polls.merge(id, ms, Math::max));
            throw e;
        }
    }

    private static void guarded(String what, ThrowingRunnable task) {
        try {
            task.run();
        } catch (Exception e) {
            LOG.warnf("queue read model: %s failed: %s", what, e.toString());
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
