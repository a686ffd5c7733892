package io.concertticket.concert.domain;

import java.time.Instant;

/** A schedule with its remaining seat count, derived from the seats themselves so it is always right. */
public record ScheduleAvailability(long scheduleId, long concertId, Instant performanceAt, Instant reservableFrom,
                                   int maxSeatCount, long remainingSeatCount) {
}
