package io.concertticket.payment.domain;

/**
 * The limits on charging points. The ceiling on the resulting balance is enforced again by the
 * atomic database update (the balance seen here may be stale); this class gives the early,
 * descriptive refusal.
 */
public final class ChargeRules {

    private final long maxChargeAmount;
    private final long maxBalance;

    public ChargeRules(long maxChargeAmount, long maxBalance) {
        if (maxChargeAmount <= 0 || maxBalance <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.maxChargeAmount = maxChargeAmount;
        this.maxBalance = maxBalance;
    }

    public long maxChargeAmount() {
        return maxChargeAmount;
    }

    public long maxBalance() {
        return maxBalance;
    }

    /** Checks the amount on its own (before touching the wallet). */
    public void checkAmount(long amount) {
        if (amount <= 0) {
            throw new InvalidChargeException(InvalidChargeException.Reason.NOT_POSITIVE, amount, maxChargeAmount, null,
                    "amount must be a positive whole number of points");
        }
        if (amount > maxChargeAmount) {
            throw new InvalidChargeException(InvalidChargeException.Reason.ABOVE_CHARGE_LIMIT, amount, maxChargeAmount, null,
                    "amount must be at most " + maxChargeAmount + " points per charge");
        }
        if (amount > maxBalance) {
            throw aboveMaxBalance(amount, 0);
        }
    }

    /** The refusal when {@code balance + amount} would exceed the ceiling. */
    public InvalidChargeException aboveMaxBalance(long amount, long balance) {
        return new InvalidChargeException(InvalidChargeException.Reason.ABOVE_MAX_BALANCE, amount, maxBalance, balance,
                "amount would raise the balance from " + balance + " above the maximum of " + maxBalance + " points");
    }
}
