package io.concertticket.concert.application;

import io.concertticket.concert.domain.NotFoundException;
import io.concertticket.concert.domain.ScheduleAvailability;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.util.List;

/**
 * The schedules of a concert reservable now, with their remaining seat counts. The same for every caller, so
 * it is read once for all of them (the API keeps it in memory) and the admission to the concert is checked
 * per request by the caller of this use case.
 */
@ApplicationScoped
public class ListReservableSchedules {

    private final Concerts concerts;
    private final Schedules schedules;
    private final Clock clock;

    ListReservableSchedules(Concerts concerts, Schedules schedules, Clock clock) {
        this.concerts = concerts;
        this.schedules = schedules;
        this.clock = clock;
    }

    /** @throws NotFoundException for an unknown concert */
    @Transactional
    @ReadOnly
    public List<ScheduleAvailability> of(long concertId) {
        if (!concerts.exists(concertId)) {
            throw NotFoundException.concert(concertId);
        }
        return schedules.reservableOf(concertId, clock.instant());
    }
}
