package io.concertticket.concert.domain;

import java.time.Instant;

/** The schedule's reservable-from date has not come yet, or the performance is over. */
public class ScheduleNotReservableException extends ConcertDomainException {

    public enum Reason { NOT_YET_OPEN, PAST }

    private final Reason reason;

    private ScheduleNotReservableException(Reason reason, String message, Object... details) {
        super(message, details);
        this.reason = reason;
    }

    public static ScheduleNotReservableException notYetOpen(Long scheduleId, Instant opensAt) {
        return new ScheduleNotReservableException(Reason.NOT_YET_OPEN,
                "Schedule " + scheduleId + " opens for reservations at " + opensAt + ".",
                "scheduleId", scheduleId, "opensAt", opensAt.toString());
    }

    public static ScheduleNotReservableException past(Long scheduleId, Instant performanceAt) {
        return new ScheduleNotReservableException(Reason.PAST,
                "Schedule " + scheduleId + " was performed at " + performanceAt + "; it can no longer be reserved.",
                "scheduleId", scheduleId, "performanceAt", performanceAt.toString());
    }

    public Reason reason() {
        return reason;
    }
}
