package io.concertticket.payment.infrastructure;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** payment-service's infrastructure settings; the use cases' and their timers' are in the application's UseCaseSettings. */
@ConfigMapping(prefix = "payment")
public interface PaymentConfig {

    Idempotency idempotency();

    interface Idempotency {
        /** Idempotency keys (and the responses they replay) are kept this long. */
        @WithDefault("P1D")
        Duration retention();

        /** How often expired keys are deleted (read by the scheduler as payment.idempotency.cleanup-interval). */
        @WithDefault("1h")
        Duration cleanupInterval();
    }
}
