package io.concertticket.payment.domain;

/** A charge the rules refuse: not positive, above the per-charge limit, or above the balance ceiling. */
public class InvalidChargeException extends PaymentException {

    public enum Reason { NOT_POSITIVE, ABOVE_CHARGE_LIMIT, ABOVE_MAX_BALANCE }

    private final Reason reason;
    private final long amount;
    private final long limit;
    private final Long balance;

    public InvalidChargeException(Reason reason, long amount, long limit, Long balance, String message) {
        super(message);
        this.reason = reason;
        this.amount = amount;
        this.limit = limit;
        this.balance = balance;
    }

    public Reason reason() {
        return reason;
    }

    public long amount() {
        return amount;
    }

    /** The per-charge limit or the maximum balance, depending on the reason. */
    public long limit() {
        return limit;
    }

    /** The current balance when the ceiling was the problem, else null. */
    public Long balance() {
        return balance;
    }
}
