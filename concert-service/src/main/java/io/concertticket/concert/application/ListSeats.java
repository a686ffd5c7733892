package io.concertticket.concert.application;

import io.concertticket.concert.domain.ConcertSchedule;
import io.concertticket.concert.domain.NotFoundException;
import io.concertticket.concert.domain.SeatView;
import io.concertticket.concert.infrastructure.ScheduleRepository;
import io.concertticket.concert.infrastructure.SeatRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;

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
    public ScheduleSeats of(long scheduleId, Long tokenConcertId) {
        ConcertSchedule schedule = schedules.findByIdOptional(scheduleId)
                .orElseThrow(() -> NotFoundException.schedule(scheduleId));
        schedule.requireAccessFor(tokenConcertId);
        return new ScheduleSeats(schedule, seats.seatsOf(scheduleId));
    }
}
