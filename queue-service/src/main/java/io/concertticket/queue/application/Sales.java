package io.concertticket.queue.application;

import io.concertticket.queue.domain.Sale;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The announced sales in the database, read and changed inside the caller's transaction. */
public interface Sales {

    /** A sale and the database clock when it was read: registration and opening go by that clock, like admission ticks. */
    record AtDatabaseTime(Sale sale, Instant now) {
    }

    /**
     * Stores an announcement unless one of the same or a higher revision is already stored; what happened here
     * (opening, close) is never overwritten.
     *
     * @return whether it changed the sale
     */
    boolean applyAnnouncement(long concertId, String title, Instant opensAt, Instant closesAt, boolean preQueueEnabled,
                              long preQueueLeadSeconds, long revision);

    /** The sale with the database clock, row-locked until commit when {@code lock}. */
    Optional<AtDatabaseTime> find(long concertId, boolean lock);

    /** Closes the sale for good (an operator's close); false when there is no such sale. */
    boolean close(long concertId);

    /** Sales whose opening time has come (database clock) and that have not been opened yet. */
    List<Long> dueForOpening();

    /** Ended sales (closing time passed or closed) in whose room someone still waits. */
    List<Long> endedWithWaiting();

    /**
     * Opens the sale if its time has come, shuffling its pre-queue with {@code seed}; the caller holds both of the
     * room's locks.
     *
     * @return whether this call opened the sale
     */
    boolean openIfDue(long concertId, String seed);
}
