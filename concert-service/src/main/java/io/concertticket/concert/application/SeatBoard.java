package io.concertticket.concert.application;

import io.concertticket.concert.domain.SeatView;

import java.time.Instant;
import java.util.List;

/**
 * The seat statuses of the schedules on sale, in memory: what the database said a moment ago
 * ({@code concert.cache.seats.max-age}, plus one read), plus the seats this replica has since seen taken.
 *
 * <p>It may only refuse early what the database would refuse: a seat is refused here only if the database was
 * seen selling it, or holding it with the hold's deadline still ahead (holds are freed only after their
 * deadline), or this replica saw it taken since. Whatever it says, the hold itself is decided by the database
 * (the seat row lock and the one-live-reservation-per-seat index), so a stale board can cost a wasted round trip
 * or, for a fraction of a second, the refusal of a seat freed early, never a double sale.
 */
public interface SeatBoard {

    /**
     * Whether the board knows the seat to be taken; counted as a refusal. {@code false} means "ask the
     * database", not "free": unknown seats, and seats free at the last read, go there.
     */
    boolean refuses(long scheduleId, int seatNumber);

    /** The seat map with each seat's availability as of the board: never further behind than the configured max age. */
    List<SeatView> seats(long scheduleId);

    /**
     * This replica's own hold committed, held until {@code until}: shown and refused as taken until the database
     * is read again after this moment and says otherwise.
     */
    void heldHere(long scheduleId, int seatNumber, Instant until);

    /**
     * The database refused a hold on the seat (another hold has it, or is taking it right now and might yet roll
     * back): refused from memory for no longer than the board may be behind, so the next losers wait for a new read.
     */
    void refusedByDatabase(long scheduleId, int seatNumber);
}
