package io.concertticket.payment.application;

import io.concertticket.payment.domain.PayableReservation;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The reservations payment-service knows (from concert-service's events), read and written in the caller's transaction. */
public interface PayableReservations {

    void add(PayableReservation reservation);

    Optional<PayableReservation> byId(long reservationId);

    /** Loads the row with a row lock held to the end of the transaction: payment and expiry take turns. */
    Optional<PayableReservation> lock(long reservationId);

    /**
     * Locks up to {@code limit} BOOKED reservations past their deadline, skipping rows a payment or another
     * replica's sweeper has locked: a payment in flight finishes first, and replicas never wait for each other.
     */
    List<PayableReservation> lockDueForClosing(Instant now, int limit);

    /** Which of {@code reservationIds} are known here. */
    List<Long> existingAmong(Collection<Long> reservationIds);

    boolean exists(long reservationId);
}
