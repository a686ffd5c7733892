package io.concertticket.payment.domain;

/** The same Idempotency-Key was sent with a different request: replaying the first result would be a lie. */
public class IdempotencyKeyReusedException extends PaymentException {
    private final String key;

    public IdempotencyKeyReusedException(String key) {
        super("Idempotency-Key '" + key + "' was already used for a different request.");
        this.key = key;
    }

    public String key() {
        return key;
    }
}
