package io.concertticket.concert.application;

import io.concertticket.concert.domain.ConcertSchedule;
import io.concertticket.concert.domain.HoldPolicy;
import io.concertticket.concert.domain.NotFoundException;
import io.concertticket.concert.domain.Reservation;
import io.concertticket.concert.domain.Seat;
import io.concertticket.concert.domain.SeatTakenException;
import io.concertticket.events.OutboxPublisher;
import io.concertticket.events.contract.ReservationEvents.SeatHeld;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;

/**
 * The transaction of a hold, and only the writes it needs: the user's hold count, the seat row lock, the
 * reservation, the seat update and {@code SeatHeld} in the outbox. The checks that need no database (schedule,
 * admission, seats already seen taken) are done by {@link HoldSeat} before it is opened.
 */
@ApplicationScoped
class BookSeat {

    private final Seats seats;
    private final Reservations reservations;
    private final TransactionLocks locks;
    private final OutboxPublisher outbox;
    private final ConcertConfig config;

    BookSeat(Seats seats, Reservations reservations, TransactionLocks locks, OutboxPublisher outbox,
             ConcertConfig config) {
        this.seats = seats;
        this.reservations = reservations;
        this.locks = locks;
        this.outbox = outbox;
        this.config = config;
    }

    @Transactional
    public Reservation book(String userId, ConcertSchedule schedule, int seatNumber, Instant now) {
        long scheduleId = schedule.getId();
        // Count-then-insert is only atomic if one user's requests for this schedule take turns.
        locks.lockUserInSchedule(userId, scheduleId);
        new HoldPolicy(config.reservation().maxHoldsPerUserPerSchedule())
                .requireAnotherHoldAllowed(reservations.countLiveHolds(userId, scheduleId, now));

        Seat seat = seats.lockIfAvailable(scheduleId, seatNumber).orElseThrow(() -> seats.exists(scheduleId, seatNumber)
                ? new SeatTakenException(scheduleId, seatNumber)
                : NotFoundException.seat(scheduleId, seatNumber));
        Reservation reservation = Reservation.book(userId, schedule, seat, now, config.reservation().holdDuration());
        // written now, so a constraint violation surfaces here (mapped to 409), not as a failed commit
        reservations.insert(reservation);

        outbox.publish(new SeatHeld(reservation.getId(), userId, reservation.getConcertId(), scheduleId,
                        seat.getId(), seatNumber, reservation.getPrice(), now, reservation.getExpiresAt()));
        return reservation;
    }
}
