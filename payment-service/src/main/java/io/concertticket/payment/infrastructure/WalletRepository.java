package io.concertticket.payment.infrastructure;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.util.List;
import java.util.OptionalLong;

/**
 * Balance changes are single SQL statements so that the database, not a read-modify-write in Java,
 * decides them: concurrent requests can neither lose an update nor overdraw a wallet.
 */
@ApplicationScoped
public class WalletRepository {

    private final EntityManager em;

    WalletRepository(EntityManager em) {
        this.em = em;
    }

    /**
     * Adds {@code amount} unless the balance would exceed {@code maxBalance}, and writes the CHARGE history
     * row in the same statement: a hot wallet's row lock is then held for one round trip plus the commit.
     *
     * @return the new balance, or empty if the ceiling refused the charge (nothing written)
     */
    public OptionalLong chargeAndRecord(String userId, long amount, long maxBalance) {
        @SuppressWarnings("unchecked")
        List<Number> rows = em.createNativeQuery("""
                        WITH charged AS (
                          INSERT INTO wallet AS w (user_id, balance, updated_at) VALUES (?1, ?2, now())
                          ON CONFLICT (user_id) DO UPDATE SET balance = w.balance + EXCLUDED.balance, updated_at = now()
                            WHERE w.balance + EXCLUDED.balance <= ?3
                          RETURNING user_id, balance)
                        INSERT INTO point_history (user_id, type, amount, balance_after, created_at)
                        SELECT user_id, 'CHARGE', ?2, balance, now() FROM charged
                        RETURNING balance_after""")
                .setParameter(1, userId)
                .setParameter(2, amount)
                .setParameter(3, maxBalance)
                .getResultList();
        return rows.isEmpty() ? OptionalLong.empty() : OptionalLong.of(rows.get(0).longValue());
    }

    /** Takes {@code amount} if the balance covers it; empty if it does not (or there is no wallet). */
    public OptionalLong deduct(String userId, long amount) {
        @SuppressWarnings("unchecked")
        List<Number> rows = em.createNativeQuery("""
                        UPDATE wallet SET balance = balance - ?2, updated_at = now()
                        WHERE user_id = ?1 AND balance >= ?2
                        RETURNING balance""")
                .setParameter(1, userId)
                .setParameter(2, amount)
                .getResultList();
        return rows.isEmpty() ? OptionalLong.empty() : OptionalLong.of(rows.get(0).longValue());
    }

    /** Gives points back; no ceiling applies (a refund must never be refused). */
    public long refund(String userId, long amount) {
        Number balance = (Number) em.createNativeQuery("""
                        INSERT INTO wallet AS w (user_id, balance, updated_at) VALUES (?1, ?2, now())
                        ON CONFLICT (user_id) DO UPDATE SET balance = w.balance + EXCLUDED.balance, updated_at = now()
                        RETURNING balance""")
                .setParameter(1, userId)
                .setParameter(2, amount)
                .getSingleResult();
        return balance.longValue();
    }

    /** The current balance; 0 for a user who never charged. */
    public long balanceOf(String userId) {
        @SuppressWarnings("unchecked")
        List<Number> rows = em.createNativeQuery("SELECT balance FROM wallet WHERE user_id = ?1")
                .setParameter(1, userId)
                .getResultList();
        return rows.isEmpty() ? 0 : rows.get(0).longValue();
    }
}
