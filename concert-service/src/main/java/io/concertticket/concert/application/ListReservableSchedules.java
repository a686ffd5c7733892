package io.concertticket.concert.application;

import io.concertticket.concert.domain.NotFoundException;
import io.concertticket.concert.domain.ScheduleAvailability;
import io.concertticket.concert.infrastructure.ConcertRepository;
import io.concertticket.concert.infrastructure.ScheduleRepository;
import io.concertticket.identity.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.util.List;

/** The schedules of a concert reservable now, for a caller admitted to that concert. */
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
    public List<ScheduleAvailability> of(Caller caller, long concertId) {
        if (concerts.findByIdOptional(concertId).isEmpty()) {
            throw NotFoundException.concert(concertId);
        }
        caller.requireAdmissionTo(concertId);
        return schedules.reservableOf(concertId, clock.instant());
    }
}
