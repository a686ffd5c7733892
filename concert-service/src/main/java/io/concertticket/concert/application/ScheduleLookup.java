package io.concertticket.concert.application;

import io.concertticket.concert.domain.ConcertSchedule;

import java.util.Optional;

/**
 * Schedules by id without a database round trip: what a hold or a seat listing needs of its schedule (concert,
 * dates) never changes once the schedule exists. The schedules found are detached: read only, never written through.
 */
public interface ScheduleLookup {

    Optional<ConcertSchedule> find(long scheduleId);
}
