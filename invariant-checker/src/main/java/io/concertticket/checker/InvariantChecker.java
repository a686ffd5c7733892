package io.concertticket.checker;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Checks invariants 1 to 4 and 7 (paid means sold: payment-service alone decides paid versus expired) of
 * docs/architecture.md against the three service databases, reading
 * each one in a read-only, repeatable-read transaction (one consistent snapshot per database, never
 * a write, so it is safe against a live system). Those the payment database must hold on its own are
 * {@link PaymentInvariants}, which payment-service's tests check too.
 *
 * <p>The databases are separate and connected only by events, so a check that spans two of them can
 * fail for a moment while an event is in flight (a payment committed whose PaymentCompleted has not
 * reached concert-service yet). {@link #run()} therefore waits for the outboxes to drain and
 * re-evaluates for up to {@link CheckerOptions#settle()} before it reports a violation; a violation
 * that survives that long is real (or the system is stuck, which is worth knowing too).
 */
public final class InvariantChecker {

    private static final Duration RETRY_PAUSE = Duration.ofMillis(1000);

    private final CheckerOptions options;

    public InvariantChecker(CheckerOptions options) {
        this.options = options;
    }

    /** Waits for the outboxes to drain and in-flight events to settle (bounded), then reports. */
    public CheckReport run() throws SQLException {
        long start = System.nanoTime();
        long deadline = start + options.settle().toNanos();
        Map<String, Long> pending = pendingOutbox();
        while (pending.values().stream().anyMatch(n -> n > 0) && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(250));
            pending = pendingOutbox();
        }
        int attempts = 0;
        List<InvariantResult> results;
        while (true) {
            attempts++;
            results = checkOnce();
            boolean allHold = results.stream().allMatch(InvariantResult::holds);
            if (allHold || System.nanoTime() + RETRY_PAUSE.toNanos() > deadline) {
                break;
            }
            sleep(RETRY_PAUSE);
        }
        return new CheckReport(results, pendingOutbox(), attempts, Duration.ofNanos(System.nanoTime() - start));
    }

    /** Events each service has written but its relay has not yet published. */
    public Map<String, Long> pendingOutbox() throws SQLException {
        Map<String, Long> pending = new LinkedHashMap<>();
        pending.put("queue", countOutbox(options.queueDb()));
        pending.put("concert", countOutbox(options.concertDb()));
        pending.put("payment", countOutbox(options.paymentDb()));
        return pending;
    }

    private long countOutbox(String url) throws SQLException {
        try (Connection c = openReadOnly(url)) {
            return scalar(c, "SELECT count(*) FROM outbox_event");
        }
    }

    /** One evaluation of every invariant, without waiting. */
    public List<InvariantResult> checkOnce() throws SQLException {
        // payment first, concert second: an event in flight then makes concert look "ahead" of payment
        // (a hold payment-service has not seen yet), which no cross check flags.
        Map<Long, PaymentRow> payments;
        Map<Long, String> payables;
        List<InvariantResult> invariant2and3;
        InvariantResult decidedOnce;
        PaymentInvariants paymentSide = new PaymentInvariants(options.maxExamples());
        try (Connection payment = openReadOnly(options.paymentDb())) {
            payments = loadPayments(payment);
            payables = loadPayableStatuses(payment);
            invariant2and3 = paymentSide.pointsAndCharges(payment);
            decidedOnce = paymentSide.decidedOnce(payment);
            payment.rollback();
        }
        List<InvariantResult> results = new ArrayList<>();
        try (Connection concert = openReadOnly(options.concertDb())) {
            results.add(seatSoldOnce(concert));
            results.add(oneLiveReservationPerSeat(concert));
            results.add(seatMatchesReservation(concert));
            results.addAll(invariant2and3);
            results.add(paidSeatDone(concert));
            results.add(canceledSeatBack(concert));
            Map<Long, ReservationRow> reservations = loadSettledReservations(concert, payments);
            results.add(paidHasPayment(reservations, payments));
            results.add(canceledRefunded(reservations, payments));
            results.add(paymentHasPaidReservation(reservations, payments));
            results.add(decidedOnce);
            results.add(canceledOnlyByDecision(reservations, payables));
            concert.rollback();
        }
        try (Connection queue = openReadOnly(options.queueDb())) {
            results.add(oneLivePlace(queue));
            queue.rollback();
        }
        return results;
    }

    // ---- invariant 1: a seat is sold at most once, at most one live hold per seat ------------------

    private InvariantResult seatSoldOnce(Connection c) throws SQLException {
        return Violations.query(c, options.maxExamples(), "1a", "a seat is sold at most once (at most one PAID reservation per seat)", """
                SELECT seat_id, count(*) AS n, string_agg(id || ' by ' || user_id, ', ' ORDER BY id) AS who
                FROM reservation WHERE status = 'PAID' GROUP BY seat_id HAVING count(*) > 1 ORDER BY seat_id
                """, rs -> "seat " + rs.getLong("seat_id") + " sold " + rs.getLong("n") + " times: reservations "
                + rs.getString("who"));
    }

    private InvariantResult oneLiveReservationPerSeat(Connection c) throws SQLException {
        return Violations.query(c, options.maxExamples(), "1b", "at most one live (BOOKED or PAID) reservation per seat", """
                SELECT seat_id, count(*) AS n, string_agg(id || ' ' || status || ' by ' || user_id, ', ' ORDER BY id) AS who
                FROM reservation WHERE status IN ('BOOKED', 'PAID') GROUP BY seat_id HAVING count(*) > 1 ORDER BY seat_id
                """, rs -> "seat " + rs.getLong("seat_id") + " has " + rs.getLong("n") + " live reservations: "
                + rs.getString("who"));
    }

    private InvariantResult seatMatchesReservation(Connection c) throws SQLException {
        return Violations.query(c, options.maxExamples(), "1c", "each seat's status matches its reservations (AVAILABLE: none live; HELD: one BOOKED; "
                + "DONE: one PAID; same user)", """
                SELECT s.id, s.schedule_id, s.seat_number, s.status, s.user_id,
                       r.id AS reservation_id, r.status AS reservation_status, r.user_id AS reservation_user
                FROM seat s
                LEFT JOIN reservation r ON r.seat_id = s.id AND r.status IN ('BOOKED', 'PAID')
                WHERE NOT coalesce((s.status = 'AVAILABLE' AND r.id IS NULL)
                        OR (s.status = 'HELD' AND r.status = 'BOOKED' AND r.user_id = s.user_id)
                        OR (s.status = 'DONE' AND r.status = 'PAID' AND r.user_id = s.user_id), false)
                ORDER BY s.id
                """, rs -> "seat " + rs.getLong("id") + " (schedule " + rs.getLong("schedule_id") + " #"
                + rs.getInt("seat_number") + ") is " + rs.getString("status") + owner(rs.getString("user_id"))
                + " but its live reservation is " + (rs.getObject("reservation_id") == null ? "none"
                : rs.getLong("reservation_id") + " " + rs.getString("reservation_status") + " of "
                + rs.getString("reservation_user")));
    }

    // ---- invariant 4: paid means sold to the payer, canceled means the seat and the money are back --

    private InvariantResult paidSeatDone(Connection c) throws SQLException {
        return Violations.query(c, options.maxExamples(), "4a", "every PAID reservation has its seat DONE for the same user", """
                SELECT r.id, r.user_id, r.seat_id, s.status, s.user_id AS seat_user
                FROM reservation r JOIN seat s ON s.id = r.seat_id
                WHERE r.status = 'PAID' AND NOT coalesce(s.status = 'DONE' AND s.user_id = r.user_id, false)
                ORDER BY r.id
                """, rs -> "reservation " + rs.getLong("id") + " of " + rs.getString("user_id") + " is PAID but seat "
                + rs.getLong("seat_id") + " is " + rs.getString("status") + owner(rs.getString("seat_user")));
    }

    private InvariantResult canceledSeatBack(Connection c) throws SQLException {
        return Violations.query(c, options.maxExamples(), "4b", "every CANCELED reservation has its seat AVAILABLE or held anew by another live reservation", """
                SELECT r.id, r.user_id, r.seat_id, s.status, s.user_id AS seat_user
                FROM reservation r JOIN seat s ON s.id = r.seat_id
                WHERE r.status = 'CANCELED' AND s.status <> 'AVAILABLE'
                  AND NOT EXISTS (SELECT 1 FROM reservation o
                                  WHERE o.seat_id = r.seat_id AND o.id <> r.id AND o.status IN ('BOOKED', 'PAID'))
                ORDER BY r.id
                """, rs -> "reservation " + rs.getLong("id") + " of " + rs.getString("user_id") + " is CANCELED but seat "
                + rs.getLong("seat_id") + " is still " + rs.getString("status") + owner(rs.getString("seat_user"))
                + " with no other live reservation");
    }

    private InvariantResult paidHasPayment(Map<Long, ReservationRow> reservations, Map<Long, PaymentRow> payments) {
        Violations v = new Violations(options.maxExamples());
        for (ReservationRow r : reservations.values()) {
            if (!r.status().equals("PAID")) {
                continue;
            }
            PaymentRow p = payments.get(r.id());
            if (p == null || !p.status().equals("COMPLETED") || !p.userId().equals(r.userId()) || p.amount() != r.price()) {
                v.add("reservation " + r.id() + " of " + r.userId() + " is PAID (price " + r.price() + ") but its payment is "
                        + (p == null ? "missing" : p.status() + " of " + p.amount() + " by " + p.userId()));
            }
        }
        return v.result("4c", "every PAID reservation has a COMPLETED payment by the same user for its price");
    }

    private InvariantResult canceledRefunded(Map<Long, ReservationRow> reservations, Map<Long, PaymentRow> payments) {
        Violations v = new Violations(options.maxExamples());
        for (ReservationRow r : reservations.values()) {
            if (!r.status().equals("CANCELED")) {
                continue;
            }
            PaymentRow p = payments.get(r.id());
            if (p != null && !p.status().equals("REFUNDED")) {
                v.add("reservation " + r.id() + " of " + r.userId() + " is CANCELED but its payment of " + p.amount()
                        + " is " + p.status() + " (points not refunded)");
            }
        }
        return v.result("4d", "every CANCELED reservation that was paid has its payment REFUNDED");
    }

    private InvariantResult paymentHasPaidReservation(Map<Long, ReservationRow> reservations,
                                                             Map<Long, PaymentRow> payments) {
        Violations v = new Violations(options.maxExamples());
        for (PaymentRow p : payments.values()) {
            ReservationRow r = reservations.get(p.reservationId());
            String expected = p.status().equals("COMPLETED") ? "PAID" : "CANCELED";
            if (r == null || !r.status().equals(expected) || !r.userId().equals(p.userId())) {
                v.add("payment for reservation " + p.reservationId() + " by " + p.userId() + " is " + p.status()
                        + " but the reservation is " + (r == null ? "unknown to concert-service" : r.status() + " of " + r.userId()));
            }
        }
        return v.result("4e", "every COMPLETED payment belongs to a PAID reservation of the payer, every REFUNDED one "
                + "to a CANCELED reservation");
    }

    // ---- invariant 7: payment-service alone decides paid versus expired; concert-service follows ----

    private InvariantResult canceledOnlyByDecision(Map<Long, ReservationRow> reservations, Map<Long, String> payables) {
        Violations v = new Violations(options.maxExamples());
        for (ReservationRow r : reservations.values()) {
            if (!r.status().equals("CANCELED")) {
                continue;
            }
            String decided = payables.get(r.id());
            if (!"CANCELED".equals(decided)) {
                v.add("reservation " + r.id() + " of " + r.userId() + " is CANCELED (seat back on sale) but payment-service "
                        + (decided == null ? "does not know it" : "has it " + decided));
            }
        }
        return v.result("7b", "every CANCELED reservation was closed by payment-service first (its payable CANCELED): "
                + "no seat goes back on sale while it can still be paid");
    }

    // ---- queue ------------------------------------------------------------------------------------

    private InvariantResult oneLivePlace(Connection c) throws SQLException {
        return Violations.query(c, options.maxExamples(), "Q", "a user has at most one live (STANDBY or ACTIVE) queue token per concert", """
                SELECT concert_id, user_id, count(*) AS n FROM queue_token
                WHERE status IN ('STANDBY', 'ACTIVE') GROUP BY concert_id, user_id HAVING count(*) > 1 ORDER BY 1, 2
                """, rs -> "user " + rs.getString("user_id") + " has " + rs.getLong("n") + " live tokens for concert "
                + rs.getLong("concert_id"));
    }

    // Every NOT(...) above is wrapped in coalesce(..., false): a NULL (no matching row) must count as a violation.

    // ---- reading ----------------------------------------------------------------------------------

    record PaymentRow(long reservationId, String userId, long amount, String status) {
    }

    record ReservationRow(long id, String userId, long price, String status) {
    }

    private static Map<Long, PaymentRow> loadPayments(Connection c) throws SQLException {
        Map<Long, PaymentRow> payments = new HashMap<>();
        try (Statement st = c.createStatement()) {
            st.setFetchSize(10_000);
            try (ResultSet rs = st.executeQuery("SELECT reservation_id, user_id, amount, status FROM payment")) {
                while (rs.next()) {
                    PaymentRow p = new PaymentRow(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4));
                    payments.put(p.reservationId(), p);
                }
            }
        }
        return payments;
    }

    private static Map<Long, String> loadPayableStatuses(Connection c) throws SQLException {
        Map<Long, String> payables = new HashMap<>();
        try (Statement st = c.createStatement()) {
            st.setFetchSize(10_000);
            try (ResultSet rs = st.executeQuery("SELECT reservation_id, status FROM payable_reservation")) {
                while (rs.next()) {
                    payables.put(rs.getLong(1), rs.getString(2));
                }
            }
        }
        return payables;
    }

    /** PAID and CANCELED reservations, plus any reservation a payment refers to. */
    private static Map<Long, ReservationRow> loadSettledReservations(Connection c, Map<Long, PaymentRow> payments)
            throws SQLException {
        Map<Long, ReservationRow> reservations = new HashMap<>();
        try (Statement st = c.createStatement()) {
            st.setFetchSize(10_000);
            try (ResultSet rs = st.executeQuery("SELECT id, user_id, price, status FROM reservation WHERE status IN ('PAID', 'CANCELED')")) {
                while (rs.next()) {
                    ReservationRow r = new ReservationRow(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4));
                    reservations.put(r.id(), r);
                }
            }
        }
        List<Long> missing = payments.keySet().stream().filter(id -> !reservations.containsKey(id)).toList();
        if (!missing.isEmpty()) {
            try (var ps = c.prepareStatement("SELECT id, user_id, price, status FROM reservation WHERE id = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("bigint", missing.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ReservationRow r = new ReservationRow(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4));
                        reservations.put(r.id(), r);
                    }
                }
            }
        }
        return reservations;
    }

    /** A read-only, repeatable-read transaction: one snapshot, and the server refuses any write. */
    Connection openReadOnly(String url) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", options.user());
        props.setProperty("password", options.password());
        props.setProperty("ApplicationName", "invariant-checker");
        props.setProperty("connectTimeout", "10");
        props.setProperty("readOnly", "true");
        Connection c = DriverManager.getConnection(url, props);
        try {
            beginReadOnlySnapshot(c);
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Starts a read-only, repeatable-read transaction on {@code c}: what it reads next is one snapshot. */
    static void beginReadOnlySnapshot(Connection c) throws SQLException {
        c.setReadOnly(true);
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try (Statement st = c.createStatement()) {
            st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        }
    }

    private static long scalar(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            long n = rs.getLong(1);
            c.rollback();
            return n;
        }
    }

    private static String owner(String user) {
        return user == null ? "" : " for " + user;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return "InvariantChecker[" + Objects.requireNonNull(options.concertDb()) + "]";
    }
}
