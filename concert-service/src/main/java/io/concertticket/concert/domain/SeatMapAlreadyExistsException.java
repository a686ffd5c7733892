package io.concertticket.concert.domain;

/** A seat map is created once: seats already held or sold must never be redefined under their owners. */
public class SeatMapAlreadyExistsException extends ConcertDomainException {

    public SeatMapAlreadyExistsException(Long scheduleId) {
        super("Schedule " + scheduleId + " already has its seat map.", "scheduleId", scheduleId);
    }
}
