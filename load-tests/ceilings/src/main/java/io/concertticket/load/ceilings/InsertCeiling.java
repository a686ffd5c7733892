package io.concertticket.load.ceilings;

import org.HdrHistogram.Histogram;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The plain insert rate of the platform's PostgreSQL: {@code threads} connections, each committing one
 * single-row INSERT per transaction (what a registration or a hold costs at least), into a scratch
 * table of a scratch database that no service uses. The table is dropped afterwards.
 */
public final class InsertCeiling {

    public record Result(int threads, long inserts, double seconds, Histogram latencyMicros) {
        public String line() {
            return String.format("%-44s %9.0f ins/s  p50 %7.2f ms  p95 %7.2f ms  p99 %7.2f ms  n=%d",
                    "PostgreSQL plain INSERT, " + threads + " connections", inserts / seconds,
                    latencyMicros.getValueAtPercentile(50) / 1000.0, latencyMicros.getValueAtPercentile(95) / 1000.0,
                    latencyMicros.getValueAtPercentile(99) / 1000.0, inserts);
        }
    }

    private InsertCeiling() {
    }

    /**
     * Whether the platform's PostgreSQL makes commits durable, as its settings say: {@code fsync} and
     * {@code synchronous_commit} both on is what the "durable commits" means; {@code ./run.sh
     * --unsafe-no-fsync} (load-tests/run-load.sh --start without LOAD_DURABLE=1) turns them off.
     */
    public static String durability(String serverUrl, String user, String password) {
        try (Connection c = DriverManager.getConnection(serverUrl + "postgres", user, password);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_setting('fsync'), current_setting('synchronous_commit'),"
                     + " current_setting('full_page_writes')")) {
            rs.next();
            boolean durable = "on".equals(rs.getString(1)) && !"off".equals(rs.getString(2));
            return String.format("PostgreSQL fsync=%s synchronous_commit=%s full_page_writes=%s: %s", rs.getString(1),
                    rs.getString(2), rs.getString(3), durable ? "durable commits"
                            : "commits NOT durable (a crash may lose them; LOAD_DURABLE=1 for durable ones)");
        } catch (SQLException e) {
            return "PostgreSQL durability unknown: " + e.getMessage();
        }
    }

    public static Result run(String serverUrl, String user, String password, int threads, Duration duration)
            throws Exception {
        String database = "load_scratch";
        try (Connection admin = DriverManager.getConnection(serverUrl + "postgres", user, password);
             Statement st = admin.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                if (!rs.next()) {
                    st.execute("CREATE DATABASE " + database);
                }
            }
        }
        String url = serverUrl + database;
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS insert_ceiling");
            st.execute("CREATE TABLE insert_ceiling (id BIGSERIAL PRIMARY KEY, payload VARCHAR(64) NOT NULL, "
                    + "created_at TIMESTAMPTZ NOT NULL DEFAULT now())");
        }
        long deadline = System.nanoTime() + duration.toNanos();
        List<Thread> workers = new ArrayList<>();
        List<Histogram> histograms = new ArrayList<>();
        long[] counts = new long[threads];
        for (int i = 0; i < threads; i++) {
            int index = i;
            Histogram h = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
            histograms.add(h);
            Thread t = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(url, user, password);
                     PreparedStatement insert = c.prepareStatement("INSERT INTO insert_ceiling (payload) VALUES (?)")) {
                    c.setAutoCommit(true);
                    long n = 0;
                    while (System.nanoTime() < deadline) {
                        long started = System.nanoTime();
                        insert.setString(1, "w" + index + "-" + n);
                        insert.executeUpdate();
                        h.recordValue(Math.max(1, (System.nanoTime() - started) / 1000));
                        n++;
                    }
                    counts[index] = n;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, "insert-" + i);
            workers.add(t);
        }
        long started = System.nanoTime();
        workers.forEach(Thread::start);
        for (Thread t : workers) {
            t.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Histogram all = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        histograms.forEach(all::add);
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
            st.execute("DROP TABLE insert_ceiling");
        }
        return new Result(threads, total, seconds, all);
    }
}
