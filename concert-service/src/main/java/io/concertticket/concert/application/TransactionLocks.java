package io.concertticket.concert.application;

/** Locks held until the caller's transaction ends (commit or rollback), shared by every replica. */
public interface TransactionLocks {

    /**
     * Serialises the hold requests of one user in one schedule, so that counting their live holds
     * and adding one is atomic. Different users never wait for each other.
     */
    void lockUserInSchedule(String userId, long scheduleId);

    /** Serialises demo seeding: replicas starting together seed once. */
    void lockDemoSeeding();
}
