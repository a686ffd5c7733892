package io.concertticket.concert.infrastructure;

import io.concertticket.concert.application.TransactionLocks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** Transaction-scoped PostgreSQL advisory locks: released by commit or rollback, shared by every replica. */
@ApplicationScoped
public class DatabaseLocks implements TransactionLocks {

    /** Key of the one-bigint lock that guards demo seeding (the two-int keys below are a separate key space). */
    private static final long DEMO_SEED_LOCK = 0x0C0DE5EEDL;

    private final EntityManager em;

    DatabaseLocks(EntityManager em) {
        this.em = em;
    }

    /**
     * Serialises the hold requests of one user in one schedule, so that counting their live holds
     * and adding one is atomic. Different users never wait for each other (a hash collision only
     * makes two users queue, it never breaks the rule).
     */
    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void lockUserInSchedule(String userId, long scheduleId) {
        em.createNativeQuery("SELECT 1 FROM pg_advisory_xact_lock(hashtext(?1), CAST(?2 % 2147483647 AS int))")
                .setParameter(1, userId)
                .setParameter(2, scheduleId)
                .getSingleResult();
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void lockDemoSeeding() {
        em.createNativeQuery("SELECT 1 FROM pg_advisory_xact_lock(?1)")
                .setParameter(1, DEMO_SEED_LOCK)
                .getSingleResult();
    }
}
