package io.concertticket.payment.infrastructure;

import io.concertticket.payment.application.IdempotencyKeyStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Idempotency keys are claimed with an INSERT in the transaction of the operation they guard: a concurrent
 * request with the same key blocks on the unique index until the first transaction ends.
 */
@ApplicationScoped
public class IdempotencyKeyRepository implements IdempotencyKeyStore {

    private final EntityManager em;

    IdempotencyKeyRepository(EntityManager em) {
        this.em = em;
    }

    @Override
    public Optional<StoredRequest> claim(String userId, String operation, String key, String fingerprint) {
        int inserted = em.createNativeQuery("""
                        INSERT INTO idempotency_key (user_id, operation, idem_key, request_fingerprint)
                        VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING""")
                .setParameter(1, userId)
                .setParameter(2, operation)
                .setParameter(3, key)
                .setParameter(4, fingerprint)
                .executeUpdate();
        if (inserted == 1) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT request_fingerprint, response_body FROM idempotency_key
                        WHERE user_id = ?1 AND operation = ?2 AND idem_key = ?3""")
                .setParameter(1, userId)
                .setParameter(2, operation)
                .setParameter(3, key)
                .getResultList();
        if (rows.isEmpty()) {
            // removed by the retention cleanup between the two statements: treat as a conflict to retry
            throw new IllegalStateException("idempotency key vanished while being read");
        }
        return Optional.of(new StoredRequest((String) rows.get(0)[0], (String) rows.get(0)[1]));
    }

    @Override
    public void storeResponse(String userId, String operation, String key, String responseBody) {
        em.createNativeQuery("""
                        UPDATE idempotency_key SET response_body = ?4
                        WHERE user_id = ?1 AND operation = ?2 AND idem_key = ?3""")
                .setParameter(1, userId)
                .setParameter(2, operation)
                .setParameter(3, key)
                .setParameter(4, responseBody)
                .executeUpdate();
    }

    /** Deletes keys older than {@code retention}; returns how many. */
    public int deleteOlderThan(Duration retention) {
        return em.createNativeQuery("DELETE FROM idempotency_key WHERE created_at < ?1")
                .setParameter(1, Instant.now().minus(retention))
                .executeUpdate();
    }
}
