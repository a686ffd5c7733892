package io.concertticket.payment.application;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * The settings the use cases and their timers go by ({@code payment.*}, as environment variables
 * PAYMENT_MAX_BALANCE...).
 */
@ConfigMapping(prefix = "payment")
public interface UseCaseSettings {

    /** Largest amount one charge may add. */
    @WithDefault("1000000")
    long maxChargeAmount();

    /** Largest balance a wallet may reach by charging (refunds may exceed it: points are never lost). */
    @WithDefault("100000000")
    long maxBalance();

    /** How long a payment waits for the reservation's SeatHeld to be consumed before answering 503 (retry). */
    @WithDefault("3s")
    Duration seatHeldWait();

    /** While payments wait, the database is re-checked this often, one query for all (another replica may consume SeatHeld). */
    @WithDefault("200ms")
    Duration seatHeldRecheck();

    Window window();

    /** Closing the payment window of reservations unpaid at their deadline (ClosePaymentWindows). */
    interface Window {
        /** How often due windows are looked for (read by the scheduler as payment.window.sweep-interval). */
        @WithDefault("1s")
        Duration sweepInterval();

        /** Reservations closed per transaction. */
        @WithDefault("200")
        int batchSize();
    }
}
