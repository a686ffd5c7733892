package io.concertticket.checker;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The invariants payment-service's database must hold on its own: 2a to 3c (points conserved and never negative, a
 * reservation charged at most once, every payment matched by its history) and 7a (each payable decided once). The
 * checker evaluates them in every run, and payment-service's integration tests after each test, so the two cannot
 * drift apart.
 */
public final class PaymentInvariants {

    private final int maxExamples;

    /** @param maxExamples violations listed per invariant (all are counted) */
    public PaymentInvariants(int maxExamples) {
        this.maxExamples = maxExamples;
    }

    /**
     * Every one of them, read in one read-only, repeatable-read transaction on {@code payment} (one snapshot, even
     * while the service still writes).
     */
    public List<InvariantResult> check(DataSource payment) throws SQLException {
        try (Connection c = payment.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            InvariantChecker.beginReadOnlySnapshot(c);
            try {
                List<InvariantResult> results = new ArrayList<>(pointsAndCharges(c));
                results.add(decidedOnce(c));
                return results;
            } finally {
                c.rollback();
                c.setReadOnly(false);
                c.setAutoCommit(autoCommit);   // a pooled connection goes back as it came
            }
        }
    }

    // ---- invariant 2: points are conserved ---------------------------------------------------------
    // ---- invariant 3: a reservation is charged at most once ----------------------------------------

    /** 2a, 2b, 3a, 3b, 3c, in that order. */
    public List<InvariantResult> pointsAndCharges(Connection c) throws SQLException {
        return List.of(conservation(c), nonNegative(c), onePaymentPerReservation(c), chargedOnce(c), paymentMatchesHistory(c));
    }

    private InvariantResult conservation(Connection c) throws SQLException {
        return Violations.query(c, maxExamples, "2a", "for every wallet, CHARGE - USE + REFUND = balance; no point history without a wallet", """
                SELECT coalesce(w.user_id, h.user_id) AS user_id, w.balance,
                       coalesce(h.charged, 0) AS charged, coalesce(h.used, 0) AS used, coalesce(h.refunded, 0) AS refunded
                FROM wallet w
                FULL OUTER JOIN (SELECT user_id,
                                        sum(amount) FILTER (WHERE type = 'CHARGE') AS charged,
                                        sum(amount) FILTER (WHERE type = 'USE') AS used,
                                        sum(amount) FILTER (WHERE type = 'REFUND') AS refunded
                                 FROM point_history GROUP BY user_id) h ON h.user_id = w.user_id
                WHERE w.user_id IS NULL
                   OR coalesce(w.balance, 0) <> coalesce(h.charged, 0) - coalesce(h.used, 0) + coalesce(h.refunded, 0)
                ORDER BY 1
                """, rs -> "wallet " + rs.getString("user_id") + ": "
                + (rs.getObject("balance") == null ? "missing, yet its history has " : "balance " + rs.getLong("balance") + " but ")
                + rs.getLong("charged") + " charged - " + rs.getLong("used") + " used + " + rs.getLong("refunded")
                + " refunded = " + (rs.getLong("charged") - rs.getLong("used") + rs.getLong("refunded")));
    }

    private InvariantResult nonNegative(Connection c) throws SQLException {
        return Violations.query(c, maxExamples, "2b", "no balance is negative", """
                SELECT user_id, balance FROM wallet WHERE balance < 0 ORDER BY user_id
                """, rs -> "wallet " + rs.getString("user_id") + " has balance " + rs.getLong("balance"));
    }

    private InvariantResult onePaymentPerReservation(Connection c) throws SQLException {
        return Violations.query(c, maxExamples, "3a", "at most one payment per reservation", """
                SELECT reservation_id, count(*) AS n FROM payment GROUP BY reservation_id HAVING count(*) > 1 ORDER BY 1
                """, rs -> "reservation " + rs.getLong("reservation_id") + " has " + rs.getLong("n") + " payments");
    }

    private InvariantResult chargedOnce(Connection c) throws SQLException {
        return Violations.query(c, maxExamples, "3b", "points are taken at most once per reservation (at most one USE, at most one REFUND)", """
                SELECT reservation_id, user_id, count(*) FILTER (WHERE type = 'USE') AS uses,
                       count(*) FILTER (WHERE type = 'REFUND') AS refunds
                FROM point_history WHERE reservation_id IS NOT NULL AND type IN ('USE', 'REFUND')
                GROUP BY reservation_id, user_id
                HAVING count(*) FILTER (WHERE type = 'USE') > 1 OR count(*) FILTER (WHERE type = 'REFUND') > 1
                ORDER BY 1
                """, rs -> "reservation " + rs.getLong("reservation_id") + " (user " + rs.getString("user_id") + "): "
                + rs.getLong("uses") + " USE and " + rs.getLong("refunds") + " REFUND entries");
    }

    private InvariantResult paymentMatchesHistory(Connection c) throws SQLException {
        return Violations.query(c, maxExamples, "3c", "every payment has exactly its USE entry (and a REFUND entry once refunded); "
                + "no USE without a payment", """
                WITH h AS (
                    SELECT reservation_id,
                           count(*) FILTER (WHERE type = 'USE') AS uses,
                           coalesce(sum(amount) FILTER (WHERE type = 'USE'), 0) AS used,
                           count(*) FILTER (WHERE type = 'REFUND') AS refunds,
                           coalesce(sum(amount) FILTER (WHERE type = 'REFUND'), 0) AS refunded
                    FROM point_history WHERE reservation_id IS NOT NULL AND type IN ('USE', 'REFUND')
                    GROUP BY reservation_id)
                SELECT coalesce(p.reservation_id, h.reservation_id) AS reservation_id, p.status, p.amount,
                       coalesce(h.uses, 0) AS uses, coalesce(h.used, 0) AS used,
                       coalesce(h.refunds, 0) AS refunds, coalesce(h.refunded, 0) AS refunded
                FROM payment p FULL OUTER JOIN h ON h.reservation_id = p.reservation_id
                WHERE NOT coalesce((p.status = 'COMPLETED' AND h.uses = 1 AND h.used = p.amount AND h.refunds = 0)
                        OR (p.status = 'REFUNDED' AND h.uses = 1 AND h.used = p.amount AND h.refunds = 1 AND h.refunded = p.amount), false)
                ORDER BY 1
                """, rs -> "reservation " + rs.getLong("reservation_id") + ": payment "
                + (rs.getString("status") == null ? "none" : rs.getString("status") + " of " + rs.getLong("amount"))
                + ", history " + rs.getLong("uses") + " USE (" + rs.getLong("used") + ") and " + rs.getLong("refunds")
                + " REFUND (" + rs.getLong("refunded") + ")");
    }

    // ---- invariant 7: payment-service alone decides paid versus expired ----------------------------

    /** 7a. */
    public InvariantResult decidedOnce(Connection c) throws SQLException {
        return Violations.query(c, maxExamples, "7a", "each payable is decided once: PAID exactly when it has a COMPLETED payment, "
                + "never both paid and expired (window closed); CANCELED when its payment was REFUNDED", """
                SELECT pr.reservation_id, pr.user_id, pr.status, p.status AS payment_status
                FROM payable_reservation pr LEFT JOIN payment p ON p.reservation_id = pr.reservation_id
                WHERE (pr.status = 'PAID') <> coalesce(p.status = 'COMPLETED', false)
                   OR (p.status = 'REFUNDED' AND pr.status <> 'CANCELED')
                ORDER BY 1
                """, rs -> "reservation " + rs.getLong("reservation_id") + " of " + rs.getString("user_id")
                + " is " + rs.getString("status") + " at payment-service but its payment is "
                + (rs.getString("payment_status") == null ? "missing" : rs.getString("payment_status")));
    }

    // Every NOT(...) above is wrapped in coalesce(..., false): a NULL (no matching row) must count as a violation.
}
