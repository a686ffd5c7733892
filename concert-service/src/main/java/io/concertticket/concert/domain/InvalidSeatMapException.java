package io.concertticket.concert.domain;

public class InvalidSeatMapException extends ConcertDomainException {

    public InvalidSeatMapException(String message) {
        super(message);
    }
}
