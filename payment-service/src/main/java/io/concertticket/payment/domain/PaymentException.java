package io.concertticket.payment.domain;

/** A rule of the payment domain said no; nothing was changed. Mapped to a problem body by the api layer. */
public abstract class PaymentException extends RuntimeException {
    protected PaymentException(String message) {
        super(message);
    }
}
