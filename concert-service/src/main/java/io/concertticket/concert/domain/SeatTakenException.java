package io.concertticket.concert.domain;

/** Someone else holds the seat or has bought it. */
public class SeatTakenException extends ConcertDomainException {

    public SeatTakenException(Long scheduleId, int seatNumber) {
        super("Seat " + seatNumber + " is already taken.", "scheduleId", scheduleId, "seatNumber", seatNumber);
    }
}
