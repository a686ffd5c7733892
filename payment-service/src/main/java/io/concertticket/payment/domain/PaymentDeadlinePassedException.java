package io.concertticket.payment.domain;

import java.time.Instant;

public class PaymentDeadlinePassedException extends PaymentException {
    private final long reservationId;
    private final Instant expiresAt;

    public PaymentDeadlinePassedException(long reservationId, Instant expiresAt) {
        super("The payment deadline of reservation " + reservationId + " has passed (" + expiresAt + ").");
        this.reservationId = reservationId;
        this.expiresAt = expiresAt;
    }

    public long reservationId() {
        return reservationId;
    }

    public Instant expiresAt() {
        return expiresAt;
    }
}
