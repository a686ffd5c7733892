package io.concertticket.gateway.application;

/**
 * The replay of the recent revocations every gateway replica does at start (infrastructure positions the
 * {@code queue.token-events} consumer and tells readiness when the replay has caught up); the consumer reports
 * each record it is done with.
 */
public interface RevocationReplay {

    /** The consumer applied this record (or gave up on it). */
    void consumed(int partition, long offset);
}
