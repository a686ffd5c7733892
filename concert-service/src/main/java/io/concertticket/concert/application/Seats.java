package io.concertticket.concert.application;

import io.concertticket.concert.domain.Seat;
import io.concertticket.concert.domain.SeatMap;
import io.concertticket.concert.domain.SeatStatus;

import java.util.Map;
import java.util.Optional;

/** The seats in the database, read and written inside the caller's transaction. */
public interface Seats {

    /**
     * The seat, locked, only if it is AVAILABLE and no other hold is taking it right now: in a rush the losers
     * are told at once instead of queueing on the winner's row lock (see the implementation for the numbers).
     * Only the transaction holding the lock can take the seat.
     */
    Optional<Seat> lockIfAvailable(long scheduleId, int seatNumber);

    boolean exists(long scheduleId, int seatNumber);

    Seat lock(long seatId);

    /** One statement for the whole map: tens of thousands of seats without one round trip each. */
    int insertSeatMap(long scheduleId, SeatMap map);

    Map<SeatStatus, Long> countByStatus(long scheduleId);
}
