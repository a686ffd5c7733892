package io.concertticket.concert.application;

import io.concertticket.concert.domain.ConcertSchedule;
import io.concertticket.concert.domain.NotFoundException;
import io.concertticket.concert.domain.SeatView;
import io.concertticket.concert.infrastructure.ScheduleRepository;
import io.concertticket.concert.infrastructure.SeatRepository;
import io.concertticket.identity.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;

/** The seat map of a schedule, for a caller admitted to its concert. */
@ApplicationScoped
public class ListSeats {

    public record ScheduleSeats(ConcertSchedule schedule, List<SeatView> seats) {
    }

    private final ScheduleRepository schedules;
    private final SeatRepository seats;

    ListSeats(ScheduleRepository schedules, SeatRepository seats) {
        this.schedules = schedules;
        this.seats = seats;
    }

    @Transactional
    @ReadOnly
    public ScheduleSeats of(Caller caller, long scheduleId) {
        ConcertSchedule schedule = schedules.findByIdOptional(scheduleId)
                .orElseThrow(() -> NotFoundException.schedule(scheduleId));
        caller.requireAdmissionTo(schedule.getConcertId());
        return new ScheduleSeats(schedule, seats.seatsOf(scheduleId));
    }
}
