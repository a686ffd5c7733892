package io.concertticket.concert.application;

import io.concertticket.concert.domain.ConcertSchedule;
import io.concertticket.concert.domain.NotFoundException;
import io.concertticket.concert.infrastructure.ConcertRepository;
import io.concertticket.concert.infrastructure.ScheduleRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;

@ApplicationScoped
public class CreateSchedule {

    private final ConcertRepository concerts;
    private final ScheduleRepository schedules;
    private final Clock clock;

    CreateSchedule(ConcertRepository concerts, ScheduleRepository schedules, Clock clock) {
        this.concerts = concerts;
        this.schedules = schedules;
        this.clock = clock;
    }

    @Transactional
    public ConcertSchedule create(long concertId, Instant performanceAt, Instant reservableFrom) {
        if (concerts.findByIdOptional(concertId).isEmpty()) {
            throw NotFoundException.concert(concertId);
        }
        ConcertSchedule schedule = new ConcertSchedule(concertId, performanceAt, reservableFrom, clock.instant());
        schedules.persist(schedule);
        return schedule;
    }
}
