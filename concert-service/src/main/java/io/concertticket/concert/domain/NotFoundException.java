package io.concertticket.concert.domain;

/** An unknown concert, schedule, seat or reservation, or one that belongs to another user. */
public class NotFoundException extends ConcertDomainException {

    private NotFoundException(String message, Object... details) {
        super(message, details);
    }

    public static NotFoundException concert(long concertId) {
        return new NotFoundException("Concert " + concertId + " does not exist.", "concertId", concertId);
    }

    public static NotFoundException schedule(long scheduleId) {
        return new NotFoundException("Schedule " + scheduleId + " does not exist.", "scheduleId", scheduleId);
    }

    public static NotFoundException seat(long scheduleId, int seatNumber) {
        return new NotFoundException("Schedule " + scheduleId + " has no seat " + seatNumber + ".",
                "scheduleId", scheduleId, "seatNumber", seatNumber);
    }

    public static NotFoundException reservation(long reservationId) {
        return new NotFoundException("You have no reservation " + reservationId + ".", "reservationId", reservationId);
    }
}
