package io.concertticket.payment.infrastructure;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "payment")
public interface PaymentConfig {

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

    Idempotency idempotency();

    interface Idempotency {
        /** Idempotency keys (and the responses they replay) are kept this long. */
        @WithDefault("P1D")
        Duration retention();

        /** How often expired keys are deleted (read by the scheduler as payment.idempotency.cleanup-interval). */
        @WithDefault("1h")
        Duration cleanupInterval();
    }

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
