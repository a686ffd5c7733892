package io.concertticket.concert.application;

import io.concertticket.concert.domain.ConcertAccessDeniedException;
import io.concertticket.concert.domain.NotFoundException;
import io.concertticket.concert.domain.ScheduleAvailability;
import io.concertticket.concert.infrastructure.ConcertRepository;
import io.concertticket.concert.infrastructure.ScheduleRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.util.List;

@ApplicationScoped
public class ListReservableSchedules {

    private final ConcertRepository concerts;
    private final ScheduleRepository schedules;
    private final Clock clock;

    ListReservableSchedules(ConcertRepository concerts, ScheduleRepository schedules, Clock clock) {
        this.concerts = concerts;
        this.schedules = schedules;
        this.clock = clock;
    }

    @Transactional
    @ReadOnly
    public List<ScheduleAvailability> of(long concertId, Long tokenConcertId) {
        if (concerts.findByIdOptional(concertId).isEmpty()) {
            throw NotFoundException.concert(concertId);
        }
        if (!Long.valueOf(concertId).equals(tokenConcertId)) {
            throw new ConcertAccessDeniedException(concertId);
        }
        return schedules.reservableOf(concertId, clock.instant());
    }
}
