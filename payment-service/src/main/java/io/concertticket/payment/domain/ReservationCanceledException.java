package io.concertticket.payment.domain;

public class ReservationCanceledException extends PaymentException {
    private final long reservationId;

    public ReservationCanceledException(long reservationId) {
        super("Reservation " + reservationId + " was canceled; it can no longer be paid.");
        this.reservationId = reservationId;
    }

    public long reservationId() {
        return reservationId;
    }
}
