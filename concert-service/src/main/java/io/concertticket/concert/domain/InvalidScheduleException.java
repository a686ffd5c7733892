package io.concertticket.concert.domain;

public class InvalidScheduleException extends ConcertDomainException {

    public InvalidScheduleException(String message) {
        super(message);
    }
}
