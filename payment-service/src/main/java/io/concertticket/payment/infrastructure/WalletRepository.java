package io.concertticket.payment.infrastructure;

import io.concertticket.payment.application.Wallets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.util.List;
import java.util.OptionalLong;

/** Wallets in PostgreSQL: each balance change is one SQL statement. */
@ApplicationScoped
public class WalletRepository implements Wallets {

    private final EntityManager em;

    WalletRepository(EntityManager em) {
        this.em = em;
    }

    /** The CHARGE history row is written in the same statement: a hot wallet's row lock is held for one round trip plus the commit. */
    @Override
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

    @Override
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

    @Override
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

    @Override
    public long balanceOf(String userId) {
        @SuppressWarnings("unchecked")
        List<Number> rows = em.createNativeQuery("SELECT balance FROM wallet WHERE user_id = ?1")
                .setParameter(1, userId)
                .getResultList();
        return rows.isEmpty() ? 0 : rows.get(0).longValue();
    }
}
