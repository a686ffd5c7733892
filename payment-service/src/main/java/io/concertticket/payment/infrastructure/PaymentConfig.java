package io.concertticket.payment.infrastructure;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** payment-service's infrastructure settings; the use cases' own are in the application's UseCaseSettings. */
@ConfigMapping(prefix = "payment")
public interface PaymentConfig {

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
