package io.concertticket.checker;

import io.concertticket.infra.InfraProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The checker against a real PostgreSQL holding the services' real schemas (their Flyway migrations,
 * read from the service modules): a consistent state holds, and each kind of corruption is reported
 * under the invariant it breaks.
 */
class InvariantCheckerTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static InfraProcess postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = InfraProcess.start(Path.of("target", "checker-test-postgres.log"),
                "--no-kafka", "--postgres-port", "0", "--data-dir", "target/checker-test-data", "--clean", "--fast");
        migrate("queue", "queue-service");
        migrate("concert", "concert-service");
        migrate("payment", "payment-service");
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static void migrate(String database, String module) throws Exception {
        try (Connection c = connect(database); Statement st = c.createStatement()) {
            st.execute(Files.readString(ROOT.resolve("event-backbone/src/main/resources/db/event-backbone/V0_1__event_backbone.sql")));
            try (var files = Files.list(ROOT.resolve(module).resolve("src/main/resources/db/migration"))) {
                for (Path f : files.sorted().toList()) {
                    st.execute(Files.readString(f));
                }
            }
        }
    }

    @BeforeEach
    void consistentPlatform() throws Exception {
        sql("concert", "TRUNCATE reservation, seat, concert_schedule, concert, outbox_event RESTART IDENTITY CASCADE");
        sql("payment", "TRUNCATE payment, payable_reservation, point_history, wallet, outbox_event CASCADE");
        sql("queue", "TRUNCATE queue_token, waiting_room, outbox_event");
        // Concert 1, one schedule, five seats at 100 points:
        //   seat 1 sold to alice (reservation 1 PAID, payment COMPLETED)
        //   seat 2 held by bob (reservation 2 BOOKED, not paid yet)
        //   seat 3 back on sale after carol's hold expired; carol had paid at the deadline and was refunded (reservation 3)
        //   seat 4 held by erin after dave's hold expired unpaid (reservations 4 CANCELED, 5 BOOKED)
        //   seat 5 never touched
        sql("concert", """
                INSERT INTO concert (title, venue, sale_opens_at) VALUES ('Checker', 'Hall', now());
                INSERT INTO concert_schedule (concert_id, performance_at, reservable_from, max_seat_count, min_price, max_price)
                    VALUES (1, now() + interval '30 days', now() - interval '1 day', 5, 100, 100);
                INSERT INTO seat (schedule_id, seat_number, price, status, user_id, hold_expires_at) VALUES
                    (1, 1, 100, 'DONE', 'alice', NULL),
                    (1, 2, 100, 'HELD', 'bob', now() + interval '5 minutes'),
                    (1, 3, 100, 'AVAILABLE', NULL, NULL),
                    (1, 4, 100, 'HELD', 'erin', now() + interval '5 minutes'),
                    (1, 5, 100, 'AVAILABLE', NULL, NULL);
                INSERT INTO reservation (user_id, concert_id, schedule_id, seat_id, seat_number, price, status, created_at, expires_at) VALUES
                    ('alice', 1, 1, 1, 1, 100, 'PAID', now(), now() + interval '5 minutes'),
                    ('bob', 1, 1, 2, 2, 100, 'BOOKED', now(), now() + interval '5 minutes'),
                    ('carol', 1, 1, 3, 3, 100, 'CANCELED', now() - interval '20 minutes', now() - interval '10 minutes'),
                    ('dave', 1, 1, 4, 4, 100, 'CANCELED', now() - interval '20 minutes', now() - interval '10 minutes'),
                    ('erin', 1, 1, 4, 4, 100, 'BOOKED', now(), now() + interval '5 minutes');
                """);
        sql("payment", """
                INSERT INTO wallet (user_id, balance) VALUES ('alice', 400), ('bob', 500), ('carol', 500);
                INSERT INTO point_history (user_id, type, amount, balance_after, reservation_id) VALUES
                    ('alice', 'CHARGE', 500, 500, NULL), ('alice', 'USE', 100, 400, 1),
                    ('bob', 'CHARGE', 500, 500, NULL),
                    ('carol', 'CHARGE', 500, 500, NULL), ('carol', 'USE', 100, 400, 3), ('carol', 'REFUND', 100, 500, 3);
                INSERT INTO payable_reservation (reservation_id, user_id, concert_id, price, status, expires_at) VALUES
                    (1, 'alice', 1, 100, 'PAID', now() + interval '5 minutes'),
                    (2, 'bob', 1, 100, 'BOOKED', now() + interval '5 minutes'),
                    (3, 'carol', 1, 100, 'CANCELED', now() - interval '10 minutes'),
                    (4, 'dave', 1, 100, 'CANCELED', now() - interval '10 minutes');
                INSERT INTO payment (id, reservation_id, user_id, amount, balance_after, status, paid_at, refunded_at) VALUES
                    (gen_random_uuid(), 1, 'alice', 100, 400, 'COMPLETED', now(), NULL),
                    (gen_random_uuid(), 3, 'carol', 100, 400, 'REFUNDED', now(), now());
                """);
        sql("queue", """
                INSERT INTO waiting_room (concert_id, last_seq) VALUES (1, 2);
                INSERT INTO queue_token (id, concert_id, user_id, seq, status, registered_at, last_polled_at) VALUES
                    (gen_random_uuid(), 1, 'alice', 1, 'EXPIRED', now(), now()),
                    (gen_random_uuid(), 1, 'bob', 2, 'ACTIVE', now(), now());
                """);
    }

    @Test
    void aConsistentPlatformHoldsEveryInvariant() throws Exception {
        CheckReport report = checker(Duration.ZERO).run();

        assertThat(report.violated()).isEmpty();
        assertThat(report.results()).extracting(InvariantResult::id)
                .containsExactly("1a", "1b", "1c", "2a", "2b", "3a", "3b", "3c", "4a", "4b", "4c", "4d", "4e", "7a", "7b", "Q");
        assertThat(report.format()).contains("HOLDS     1a").contains("ALL HOLD");
    }

    @Test
    void aSeatSoldToSomeoneElseThanThePayerIsReported() throws Exception {
        sql("concert", "UPDATE seat SET user_id = 'mallory' WHERE id = 1");

        assertThat(violatedIds()).containsExactlyInAnyOrder("1c", "4a");
        assertThat(example("4a")).contains("reservation 1 of alice is PAID but seat 1 is DONE for mallory");
    }

    @Test
    void aCanceledReservationWhoseSeatStayedHeldIsReported() throws Exception {
        sql("concert", "UPDATE seat SET status = 'HELD', user_id = 'carol', hold_expires_at = now() WHERE id = 3");

        assertThat(violatedIds()).containsExactlyInAnyOrder("1c", "4b");
    }

    @Test
    void pointsCreatedFromNothingAreReported() throws Exception {
        sql("payment", "UPDATE wallet SET balance = balance + 1 WHERE user_id = 'bob'");

        assertThat(violatedIds()).containsExactly("2a");
        assertThat(example("2a")).contains("wallet bob: balance 501 but 500 charged - 0 used + 0 refunded = 500");
    }

    @Test
    void pointHistoryWithoutAWalletIsReported() throws Exception {
        // a history that sums to zero, so only the missing wallet gives it away
        sql("payment", "INSERT INTO point_history (user_id, type, amount, balance_after, reservation_id) VALUES ('zoe', 'CHARGE', 0, 0, NULL)");

        assertThat(violatedIds()).containsExactly("2a");
        assertThat(example("2a")).contains("wallet zoe: missing, yet its history has 0 charged - 0 used + 0 refunded = 0");
    }

    @Test
    void aReservationChargedTwiceIsReported() throws Exception {
        sql("payment", """
                UPDATE wallet SET balance = 300 WHERE user_id = 'alice';
                INSERT INTO point_history (user_id, type, amount, balance_after, reservation_id) VALUES ('alice', 'USE', 100, 300, 1);
                """);

        assertThat(violatedIds()).containsExactlyInAnyOrder("3b", "3c");
    }

    @Test
    void pointsTakenWithoutAPaymentAreReported() throws Exception {
        sql("payment", """
                UPDATE wallet SET balance = 400 WHERE user_id = 'bob';
                INSERT INTO point_history (user_id, type, amount, balance_after, reservation_id) VALUES ('bob', 'USE', 100, 400, 2);
                """);

        assertThat(violatedIds()).containsExactly("3c");
        assertThat(example("3c")).contains("reservation 2: payment none, history 1 USE (100)");
    }

    @Test
    void aPaidReservationWithoutPaymentIsReported() throws Exception {
        sql("concert", """
                UPDATE reservation SET status = 'PAID' WHERE id = 2;
                UPDATE seat SET status = 'DONE', hold_expires_at = NULL WHERE id = 2;
                """);

        assertThat(violatedIds()).containsExactly("4c");
        assertThat(example("4c")).contains("reservation 2 of bob is PAID (price 100) but its payment is missing");
    }

    @Test
    void aCanceledReservationWhosePaymentWasNotRefundedIsReported() throws Exception {
        sql("payment", """
                UPDATE payment SET status = 'COMPLETED', refunded_at = NULL WHERE reservation_id = 3;
                DELETE FROM point_history WHERE type = 'REFUND' AND reservation_id = 3;
                UPDATE wallet SET balance = 400 WHERE user_id = 'carol';
                """);

        assertThat(violatedIds()).containsExactlyInAnyOrder("4d", "4e", "7a");
    }

    @Test
    void aPayableBothPaidAndExpiredIsReported() throws Exception {
        // payment-service closed alice's window although she had paid
        sql("payment", "UPDATE payable_reservation SET status = 'CANCELED' WHERE reservation_id = 1");

        assertThat(violatedIds()).containsExactly("7a");
        assertThat(example("7a")).contains("reservation 1 of alice is CANCELED at payment-service but its payment is COMPLETED");
    }

    @Test
    void aRefundedPaymentWhosePayableIsStillOpenIsReported() throws Exception {
        // carol's refunded payment, but payment-service still has her reservation open for payment
        sql("payment", "UPDATE payable_reservation SET status = 'BOOKED' WHERE reservation_id = 3");

        assertThat(violatedIds()).containsExactlyInAnyOrder("7a", "7b");
        assertThat(example("7a")).contains("reservation 3 of carol is BOOKED at payment-service but its payment is REFUNDED");
    }

    @Test
    void paymentServiceAloneIsCheckedInOneSnapshotOfItsDatabase() throws Exception {
        PGSimpleDataSource payment = new PGSimpleDataSource();
        payment.setUrl(url("payment"));
        payment.setUser("postgres");
        payment.setPassword("postgres");
        PaymentInvariants invariants = new PaymentInvariants(5);
        assertThat(invariants.check(payment)).extracting(InvariantResult::id).containsExactly("2a", "2b", "3a", "3b", "3c", "7a");
        assertThat(invariants.check(payment)).allMatch(InvariantResult::holds);

        sql("payment", "UPDATE wallet SET balance = balance + 1 WHERE user_id = 'bob'");

        assertThat(invariants.check(payment)).filteredOn(r -> !r.holds()).extracting(InvariantResult::id).containsExactly("2a");
    }

    @Test
    void aSeatPutBackOnSaleBeforePaymentServiceClosedTheWindowIsReported() throws Exception {
        // concert-service cancelled bob's hold on its own clock: payment-service may still take his payment
        sql("concert", """
                UPDATE reservation SET status = 'CANCELED', canceled_at = now() WHERE id = 2;
                UPDATE seat SET status = 'AVAILABLE', user_id = NULL, hold_expires_at = NULL WHERE id = 2;
                """);

        assertThat(violatedIds()).containsExactly("7b");
        assertThat(example("7b")).contains("reservation 2 of bob is CANCELED (seat back on sale) but payment-service has it BOOKED");
    }

    @Test
    void twoLiveQueuePlacesForOneUserAreReported() throws Exception {
        sql("queue", "DROP INDEX queue_token_one_live_place");
        try {
            sql("queue", """
                    INSERT INTO queue_token (id, concert_id, user_id, seq, status, registered_at, last_polled_at)
                        VALUES (gen_random_uuid(), 1, 'bob', 3, 'STANDBY', now(), now())
                    """);
            assertThat(violatedIds()).containsExactly("Q");
        } finally {
            sql("queue", "DELETE FROM queue_token WHERE seq = 3; "
                    + "CREATE UNIQUE INDEX queue_token_one_live_place ON queue_token (concert_id, user_id) WHERE status IN ('STANDBY', 'ACTIVE')");
        }
    }

    @Test
    void aViolationCausedByAnEventInFlightIsWaitedForNotReported() throws Exception {
        // payment-service has paid reservation 2, concert-service has not applied PaymentCompleted yet
        sql("payment", """
                UPDATE wallet SET balance = 400 WHERE user_id = 'bob';
                INSERT INTO point_history (user_id, type, amount, balance_after, reservation_id) VALUES ('bob', 'USE', 100, 400, 2);
                UPDATE payable_reservation SET status = 'PAID' WHERE reservation_id = 2;
                INSERT INTO payment (id, reservation_id, user_id, amount, balance_after, status, paid_at)
                    VALUES (gen_random_uuid(), 2, 'bob', 100, 400, 'COMPLETED', now());
                """);
        assertThat(checker(Duration.ZERO).run().violated()).extracting(InvariantResult::id).containsExactly("4e");

        CompletableFuture<Void> eventArrives = CompletableFuture.runAsync(() -> {
            sleep(2_000);
            sql("concert", """
                    UPDATE reservation SET status = 'PAID', paid_at = now() WHERE id = 2;
                    UPDATE seat SET status = 'DONE', hold_expires_at = NULL WHERE id = 2;
                    """);
        });
        CheckReport report = checker(Duration.ofSeconds(30)).run();
        eventArrives.join();

        assertThat(report.allHold()).isTrue();
        assertThat(report.attempts()).isGreaterThan(1);
    }

    @Test
    void theCheckerReadsInTransactionsThatRefuseEveryWrite() throws Exception {
        try (Connection c = checker(Duration.ZERO).openReadOnly(url("payment")); Statement st = c.createStatement()) {
            assertThat(c.isReadOnly()).isTrue();
            assertThatThrownBy(() -> st.executeUpdate("UPDATE wallet SET balance = 0"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("read-only transaction");
        }
        assertThat(sqlLong("payment", "SELECT balance FROM wallet WHERE user_id = 'alice'")).isEqualTo(400);
    }

    @Test
    void theCommandLineExitsZeroWhenAllHoldAndOneOnAViolation() throws Exception {
        assertThat(cli()).isZero();
        assertThat(lastOut).contains("HOLDS").doesNotContain("VIOLATED");

        sql("concert", "UPDATE seat SET status = 'AVAILABLE', user_id = NULL, hold_expires_at = NULL WHERE id = 2");

        assertThat(cli()).isEqualTo(1);
        assertThat(lastOut).contains("VIOLATED  1c").contains("seat 2 (schedule 1 #2) is AVAILABLE but its live reservation is 2 BOOKED of bob");
    }

    @Test
    void theCommandLineExitsTwoOnBadUsageOrAnUnreachableDatabase() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(InvariantCheckerMain.run(new String[]{"--queue-db", url("queue")}, System.out, errStream)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--concert-db");

        assertThat(InvariantCheckerMain.run(new String[]{"--queue-db", "jdbc:postgresql://127.0.0.1:1/queue",
                "--concert-db", url("concert"), "--payment-db", url("payment"), "--settle", "0"}, System.out, errStream)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot read the databases");
    }

    // ---- helpers --------------------------------------------------------------------------------

    private String lastOut;

    private int cli() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = InvariantCheckerMain.run(new String[]{"--queue-db", url("queue"), "--concert-db", url("concert"),
                "--payment-db", url("payment"), "--user", "postgres", "--password", "postgres", "--settle", "0"},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        lastOut = out.toString(StandardCharsets.UTF_8);
        return rc;
    }

    private static InvariantChecker checker(Duration settle) {
        return new InvariantChecker(new CheckerOptions(url("queue"), url("concert"), url("payment"), "postgres", "postgres", settle, 5));
    }

    private static List<String> violatedIds() throws SQLException {
        return checker(Duration.ZERO).run().violated().stream().map(InvariantResult::id).toList();
    }

    private static String example(String id) throws SQLException {
        return checker(Duration.ZERO).run().results().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow()
                .examples().get(0);
    }

    private static long sqlLong(String database, String query) throws SQLException {
        try (Connection c = connect(database); Statement st = c.createStatement(); var rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String url(String database) {
        return postgres.jdbcUrl(database);
    }

    private static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(url(database), "postgres", "postgres");
    }

    private static void sql(String database, String sql) {
        try (Connection c = connect(database); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
