package io.concertticket.concert.application;

import io.concertticket.concert.domain.NotFoundException;
import io.concertticket.concert.domain.ScheduleAvailability;
import io.concertticket.concert.domain.SeatStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.EnumMap;
import java.util.Map;

/** For operators: a schedule with its seats counted by status. */
@ApplicationScoped
public class GetScheduleOverview {

    public record Overview(ScheduleAvailability schedule, Map<SeatStatus, Long> seatsByStatus) {
    }

    private final Schedules schedules;
    private final Seats seats;

    GetScheduleOverview(Schedules schedules, Seats seats) {
        this.schedules = schedules;
        this.seats = seats;
    }

    @Transactional
    @ReadOnly
    public Overview of(long scheduleId) {
        ScheduleAvailability schedule = schedules.availability(scheduleId).orElseThrow(() -> NotFoundException.schedule(scheduleId));
        Map<SeatStatus, Long> counts = new EnumMap<>(SeatStatus.class);
        for (SeatStatus s : SeatStatus.values()) {
            counts.put(s, 0L);
        }
        counts.putAll(seats.countByStatus(scheduleId));
        return new Overview(schedule, counts);
    }
}
