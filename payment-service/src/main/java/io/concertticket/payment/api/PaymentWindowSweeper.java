package io.concertticket.payment.api;

import io.concertticket.payment.application.ClosePaymentWindows;
import io.concertticket.payment.application.UseCaseSettings;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Closes due payment windows every {@code payment.window.sweep-interval}, batch after batch until none is due. */
@ApplicationScoped
public class PaymentWindowSweeper {

    private final ClosePaymentWindows closeWindows;
    private final UseCaseSettings config;

    PaymentWindowSweeper(ClosePaymentWindows closeWindows, UseCaseSettings config) {
        this.closeWindows = closeWindows;
        this.config = config;
    }

    @Scheduled(identity = "payment-window-sweeper", every = "${payment.window.sweep-interval:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        int batch = config.window().batchSize();
        while (closeWindows.closeDueBatch(batch) == batch) {
            // a full batch: more may be due
        }
    }
}
