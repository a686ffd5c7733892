package io.concertticket.payment.application;

import java.util.OptionalLong;

/**
 * The wallets' balances. Each change is decided by the database in one statement, not by a read-modify-write
 * here: concurrent requests can neither lose an update nor overdraw a wallet.
 */
public interface Wallets {

    /**
     * Adds {@code amount} unless the balance would exceed {@code maxBalance}, and writes the CHARGE history row
     * with it.
     *
     * @return the new balance, or empty if the ceiling refused the charge (nothing written)
     */
    OptionalLong chargeAndRecord(String userId, long amount, long maxBalance);

    /** Takes {@code amount} if the balance covers it; empty if it does not (or there is no wallet). */
    OptionalLong deduct(String userId, long amount);

    /** Gives points back; no ceiling applies (a refund must never be refused). */
    long refund(String userId, long amount);

    /** The current balance; 0 for a user who never charged. */
    long balanceOf(String userId);
}
