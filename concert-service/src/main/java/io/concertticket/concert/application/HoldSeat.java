package io.concertticket.concert.application;

import io.concertticket.concert.domain.ConcertSchedule;
import io.concertticket.concert.domain.NotFoundException;
import io.concertticket.concert.domain.Reservation;
import io.concertticket.concert.domain.SeatTakenException;
import io.concertticket.identity.Caller;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Holds one seat for the caller: the seat becomes HELD, a BOOKED reservation is recorded and
 * {@code SeatHeld} is written to the outbox, all in one transaction ({@link BookSeat}). Only a caller
 * admitted to the schedule's concert may hold.
 *
 * <p>In a rush almost every hold loses (a thousand people, fifty seats). A hold for a seat the
 * {@link SeatBoard} has seen taken is refused from memory, without opening a transaction: the database
 * would refuse it too. Everything else, the winners included, is decided by the database as before.
 */
@ApplicationScoped
public class HoldSeat {

    private final ScheduleLookup schedules;
    private final SeatBoard board;
    private final BookSeat book;
    private final Clock clock;

    HoldSeat(ScheduleLookup schedules, SeatBoard board, BookSeat book, Clock clock) {
        this.schedules = schedules;
        this.board = board;
        this.book = book;
        this.clock = clock;
    }

    public Reservation hold(Caller caller, long scheduleId, int seatNumber) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        ConcertSchedule schedule = schedules.find(scheduleId).orElseThrow(() -> NotFoundException.schedule(scheduleId));
        caller.requireAdmissionTo(schedule.getConcertId());
        schedule.requireReservableAt(now);
        if (board.refuses(scheduleId, seatNumber)) {
            throw new SeatTakenException(scheduleId, seatNumber);
        }
        try {
            Reservation reservation = book.book(caller.accountId(), schedule, seatNumber, now);
            // committed: this replica's next listing shows it taken, and refuses it until its deadline
            board.heldHere(scheduleId, seatNumber, reservation.getExpiresAt());
            return reservation;
        } catch (SeatTakenException e) {
            board.refusedByDatabase(scheduleId, seatNumber);
            throw e;
        }
    }
}
