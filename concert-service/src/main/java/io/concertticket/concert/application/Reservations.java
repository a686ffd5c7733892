package io.concertticket.concert.application;

import io.concertticket.concert.domain.Reservation;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The reservations in the database, read and written inside the caller's transaction. */
public interface Reservations {

    /** Writes the new reservation at once, so a constraint violation surfaces at this call, not as a failed commit. */
    void insert(Reservation reservation);

    /** Holds of this user in this schedule that still count: BOOKED and not yet past their deadline. */
    long countLiveHolds(String userId, long scheduleId, Instant now);

    /** The reservation with its row locked to the end of the transaction; null if unknown. */
    Reservation lock(long reservationId);

    Optional<Reservation> byId(long reservationId);

    /** Newest first. */
    List<Reservation> ofUser(String userId, int page, int size);

    long countOfUser(String userId);
}
