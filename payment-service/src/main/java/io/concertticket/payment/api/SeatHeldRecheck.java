package io.concertticket.payment.api;

import io.concertticket.payment.application.PayableSignals;
import io.concertticket.payment.application.UseCaseSettings;
import io.concertticket.payment.application.WakeWaitingPayments;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every {@code payment.seat-held-recheck}, one query tells which of the reservations payments wait for
 * have arrived (consumed by any replica) and wakes their waiters. Its own timer thread, because Quarkus'
 * scheduler fires at most once a second.
 */
@ApplicationScoped
@Startup
public class SeatHeldRecheck {

    private static final Logger LOG = Logger.getLogger(SeatHeldRecheck.class);

    private final WakeWaitingPayments wake;
    private final PayableSignals signals;
    private final UseCaseSettings config;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("seat-held-recheck").daemon().factory());

    SeatHeldRecheck(WakeWaitingPayments wake, PayableSignals signals, UseCaseSettings config) {
        this.wake = wake;
        this.signals = signals;
        this.config = config;
    }

    @PostConstruct
    void start() {
        long interval = config.seatHeldRecheck().toMillis();
        timer.scheduleWithFixedDelay(this::recheck, interval, interval, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }

    void recheck() {
        try {
            wake.wakeKnown();
        } catch (RuntimeException e) {
            // never let the timer die: waiters still time out on their own, and the next round tries again
            LOG.warnf(e, "re-checking %d waiting payments failed", signals.waitingCount());
        }
    }
}
