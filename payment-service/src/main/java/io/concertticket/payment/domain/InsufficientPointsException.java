package io.concertticket.payment.domain;

public class InsufficientPointsException extends PaymentException {
    private final long required;
    private final long balance;

    public InsufficientPointsException(long required, long balance) {
        super("The price is " + required + " points but the balance is " + balance + "; charge "
                + (required - balance) + " more.");
        this.required = required;
        this.balance = balance;
    }

    public long required() {
        return required;
    }

    public long balance() {
        return balance;
    }

    public long shortfall() {
        return required - balance;
    }
}
