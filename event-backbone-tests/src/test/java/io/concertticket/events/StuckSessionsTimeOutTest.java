package io.concertticket.events;

import io.agroal.api.AgroalDataSource;
import io.concertticket.events.testapp.BumpCounter;
import io.concertticket.testing.KafkaTestConsumer;
import io.concertticket.testing.LongScenario;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A replica that froze or was cut off while holding a lock (no FIN ever reaches PostgreSQL, so the server
 * keeps its session) must not stall the others: with the session settings every service uses
 * ({@code quarkus.datasource.jdbc.additional-jdbc-properties.options}, here with shorter timeouts), its idle
 * transaction is ended and its locks go with it, and a lock held by a busy session is waited for only up
 * to {@code lock_timeout}. Real PostgreSQL and Kafka; the "frozen replica" is a raw JDBC connection opened with
 * the same settings as the application's pool.
 */
@QuarkusTest
@LongScenario
@TestProfile(StuckSessionsTimeOutTest.ShortTimeouts.class)
@WithTestResource(value = EventBackboneInfra.class, initArgs = @ResourceArg(name = "relay", value = "on"))
class StuckSessionsTimeOutTest {

    static final String OPTIONS = "-c idle_in_transaction_session_timeout=5s -c lock_timeout=3s -c statement_timeout=30s";

    public static class ShortTimeouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.additional-jdbc-properties.options", OPTIONS,
                    "quarkus.datasource.jdbc.additional-jdbc-properties.tcpKeepAlive", "true");
        }
    }

    @Inject
    BumpCounter bumpCounter;
    @Inject
    AgroalDataSource dataSource;

    @Test
    void theApplicationsSessionsCarryTheTimeouts() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            assertThat(show(st, "idle_in_transaction_session_timeout")).isEqualTo("5s");
            assertThat(show(st, "lock_timeout")).isEqualTo("3s");
            assertThat(show(st, "statement_timeout")).isEqualTo("30s");
        }
    }

    @Test
    void aFrozenReplicaHoldingTheRelayLockLosesItAndTheRelayCarriesOn() throws Exception {
        String topic = "test.frozen-holder-" + UUID.randomUUID();
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        try (Connection frozen = sameAsThePool(); KafkaTestConsumer consumer = KafkaTestConsumer.fromBeginning(bootstrap, topic)) {
            int pid = backendPid(frozen);
            frozen.setAutoCommit(false);
            try (Statement st = frozen.createStatement()) {
                st.execute("SELECT pg_advisory_xact_lock(" + OutboxRelayWorker.RELAY_LOCK + ")");
            }
            // ... and then nothing more: the process is frozen (or its network is gone)
            bumpCounter.bump(topic, "k", 1);
            assertThat(consumer.drainFor(Duration.ofSeconds(2))).as("published while the frozen replica held the relay lock").isEmpty();

            await().atMost(Duration.ofSeconds(30)).until(() -> !sessionExists(pid));
            assertThat(consumer.await(1, Duration.ofSeconds(30))).hasSize(1);
            Db db = new Db(dataSource);
            await().atMost(Duration.ofSeconds(10)).until(() -> db.pendingOnTopic(topic) == 0);
            // the frozen replica learns it lost its transaction when it wakes up
            assertThatThrownBy(() -> frozen.createStatement().execute("SELECT 1"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isIn("25P03", "08006", "08003"));
        }
    }

    @Test
    void aRowLockHeldByABusySessionIsWaitedForOnlyUpToLockTimeout() throws Exception {
        String key = "busy-" + UUID.randomUUID();
        String topic = "test.busy-holder-" + UUID.randomUUID();
        bumpCounter.bump(topic, key, 1);
        try (Connection busy = sameAsThePool()) {
            int pid = backendPid(busy);
            busy.setAutoCommit(false);
            try (Statement st = busy.createStatement()) {
                st.execute("SELECT bumps FROM source_state WHERE state_key = '" + key + "' FOR UPDATE");
            }
            // busy, not idle: a long statement while holding the row lock (ended by statement_timeout, 30 s)
            CompletableFuture<Void> sleeping = CompletableFuture.runAsync(() -> {
                try (Statement st = busy.createStatement()) {
                    st.execute("SELECT pg_sleep(25)");
                } catch (SQLException ignored) {
                    // cancelled below
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> sessionState(pid).equals("active"));
            long started = System.nanoTime();
            assertThatThrownBy(() -> bumpCounter.bump(topic, key, 1))
                    .satisfies(e -> assertThat(sqlState(e)).isEqualTo("55P03"));   // lock_not_available
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            System.out.printf("a bump behind a busy row-lock holder gave up after %d ms (lock_timeout 3 s)%n", waitedMs);
            try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
                st.execute("SELECT pg_cancel_backend(" + pid + ")");
            }
            sleeping.get(30, TimeUnit.SECONDS);
        }
    }

    /** A connection opened exactly as the application's pool opens them (URL, role and session options). */
    private static Connection sameAsThePool() throws SQLException {
        var config = ConfigProvider.getConfig();
        Properties props = new Properties();
        props.setProperty("user", config.getValue("quarkus.datasource.username", String.class));
        props.setProperty("password", config.getValue("quarkus.datasource.password", String.class));
        props.setProperty("options", config.getValue("quarkus.datasource.jdbc.additional-jdbc-properties.options", String.class));
        props.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class), props);
    }

    private static int backendPid(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private boolean sessionExists(int pid) {
        return new Db(dataSource).queryLong("SELECT count(*) FROM pg_stat_activity WHERE pid = ?", pid) > 0;
    }

    private String sessionState(int pid) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(state, '') FROM pg_stat_activity WHERE pid = " + pid)) {
            return rs.next() ? rs.getString(1) : "";
        }
    }

    private static String show(Statement st, String setting) throws SQLException {
        try (ResultSet rs = st.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return "none: " + e;
    }
}
