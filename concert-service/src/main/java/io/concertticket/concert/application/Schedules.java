package io.concertticket.concert.application;

import io.concertticket.concert.domain.ConcertSchedule;
import io.concertticket.concert.domain.ScheduleAvailability;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The schedules in the database, read and written inside the caller's transaction. */
public interface Schedules {

    void add(ConcertSchedule schedule);

    /** Locks the schedule row: serialises the creation of its seat map. */
    Optional<ConcertSchedule> lockById(long scheduleId);

    /** Schedules whose reservable-from date has come and whose performance is still ahead. */
    List<ScheduleAvailability> reservableOf(long concertId, Instant now);

    Optional<ScheduleAvailability> availability(long scheduleId);
}
