package io.concertticket.payment.application;

/**
 * The reservation's SeatHeld has not reached payment-service within the bounded wait. The hold may be
 * real and the event late, or the reservation may not exist at all: payment-service cannot tell the two
 * apart, so it says "not yet" (503, retry) rather than "never" (404). Nothing was changed.
 */
public class ReservationNotYetKnownException extends RuntimeException {
    private final long reservationId;

    public ReservationNotYetKnownException(long reservationId) {
        super("Reservation " + reservationId + " is not known here yet (its hold may still be on its way); "
                + "nothing was charged, retry the payment.");
        this.reservationId = reservationId;
    }

    public long reservationId() {
        return reservationId;
    }
}
