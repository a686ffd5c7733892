package io.concertticket.payment.domain;

/** Unknown reservation, or one that belongs to someone else (indistinguishable on purpose). */
public class ReservationNotFoundException extends PaymentException {
    private final long reservationId;

    public ReservationNotFoundException(long reservationId) {
        super("Reservation " + reservationId + " is not known or does not belong to you.");
        this.reservationId = reservationId;
    }

    public long reservationId() {
        return reservationId;
    }
}
