package io.concertticket.concert.application;

import io.concertticket.concert.domain.ConcertSchedule;
import io.concertticket.concert.domain.NotFoundException;
import io.concertticket.concert.domain.SeatMap;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Creates the seats of a schedule, once; concurrent attempts are serialised on the schedule row. */
@ApplicationScoped
public class CreateSeatMap {

    private final Schedules schedules;
    private final Seats seats;

    CreateSeatMap(Schedules schedules, Seats seats) {
        this.schedules = schedules;
        this.seats = seats;
    }

    @Transactional
    public ConcertSchedule create(long scheduleId, SeatMap map) {
        ConcertSchedule schedule = schedules.lockById(scheduleId).orElseThrow(() -> NotFoundException.schedule(scheduleId));
        schedule.seatMapCreated(map.size(), map.minPrice(), map.maxPrice());
        seats.insertSeatMap(scheduleId, map);
        return schedule;
    }
}
