package io.concertticket.concert.application;

import io.concertticket.concert.domain.ConcertSchedule;
import io.concertticket.concert.domain.HoldPolicy;
import io.concertticket.concert.domain.NotFoundException;
import io.concertticket.concert.domain.Reservation;
import io.concertticket.concert.domain.Seat;
import io.concertticket.concert.domain.SeatTakenException;
import io.concertticket.concert.infrastructure.ConcertConfig;
import io.concertticket.concert.infrastructure.DatabaseLocks;
import io.concertticket.concert.infrastructure.ReservationRepository;
import io.concertticket.concert.infrastructure.ScheduleRepository;
import io.concertticket.concert.infrastructure.SeatRepository;
import io.concertticket.events.OutboxPublisher;
import io.concertticket.identity.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Holds one seat for the caller: the seat becomes HELD, a BOOKED reservation is recorded and
 * {@code SeatHeld} is written to the outbox, all in one transaction. Only a caller admitted to the
 * schedule's concert may hold.
 */
@ApplicationScoped
public class HoldSeat {

    private final ScheduleRepository schedules;
    private final SeatRepository seats;
    private final ReservationRepository reservations;
    private final DatabaseLocks locks;
    private final OutboxPublisher outbox;
    private final ConcertConfig config;
    private final Clock clock;

    HoldSeat(ScheduleRepository schedules, SeatRepository seats, ReservationRepository reservations, DatabaseLocks locks,
             OutboxPublisher outbox, ConcertConfig config, Clock clock) {
        this.schedules = schedules;
        this.seats = seats;
        this.reservations = reservations;
        this.locks = locks;
        this.outbox = outbox;
        this.config = config;
        this.clock = clock;
    }

    @Transactional
    public Reservation hold(Caller caller, long scheduleId, int seatNumber) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        ConcertSchedule schedule = schedules.findByIdOptional(scheduleId)
                .orElseThrow(() -> NotFoundException.schedule(scheduleId));
        caller.requireAdmissionTo(schedule.getConcertId());
        schedule.requireReservableAt(now);
        String userId = caller.accountId();

        // Count-then-insert is only atomic if one user's requests for this schedule take turns.
        locks.lockUserInSchedule(userId, scheduleId);
        new HoldPolicy(config.reservation().maxHoldsPerUserPerSchedule())
                .requireAnotherHoldAllowed(reservations.countLiveHolds(userId, scheduleId, now));

        Seat seat = seats.lockIfAvailable(scheduleId, seatNumber).orElseThrow(() -> seats.exists(scheduleId, seatNumber)
                ? new SeatTakenException(scheduleId, seatNumber)
                : NotFoundException.seat(scheduleId, seatNumber));
        Reservation reservation = Reservation.book(userId, schedule, seat, now, config.reservation().holdDuration());
        reservations.persist(reservation);
        // Write now, so a constraint violation surfaces here (mapped to 409), not as a failed commit.
        reservations.flush();

        outbox.publish(config.topics().reservationEvents(), reservation.getId().toString(), ReservationEvents.SEAT_HELD,
                ReservationEvents.subject(reservation.getId()), ReservationEvents.VERSION,
                new ReservationEvents.SeatHeld(reservation.getId(), userId, reservation.getConcertId(), scheduleId,
                        seat.getId(), seatNumber, reservation.getPrice(), now, reservation.getExpiresAt()));
        return reservation;
    }
}
