package io.concertticket.concert.application;

import io.concertticket.concert.domain.ConcertSchedule;
import io.concertticket.concert.domain.NotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;

@ApplicationScoped
public class CreateSchedule {

    private final Concerts concerts;
    private final Schedules schedules;
    private final Clock clock;

    CreateSchedule(Concerts concerts, Schedules schedules, Clock clock) {
        this.concerts = concerts;
        this.schedules = schedules;
        this.clock = clock;
    }

    @Transactional
    public ConcertSchedule create(long concertId, Instant performanceAt, Instant reservableFrom) {
        if (!concerts.exists(concertId)) {
            throw NotFoundException.concert(concertId);
        }
        ConcertSchedule schedule = new ConcertSchedule(concertId, performanceAt, reservableFrom, clock.instant());
        schedules.add(schedule);
        return schedule;
    }
}
