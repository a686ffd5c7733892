package io.concertticket.payment.api;

import io.concertticket.payment.application.PayableSignals;
import io.concertticket.payment.infrastructure.PayableReservationRepository;
import io.concertticket.payment.infrastructure.PaymentConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
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
    /** Ids per query, far below PostgreSQL's limit of bind parameters. */
    private static final int BATCH = 1_000;

    private final PayableSignals signals;
    private final PayableReservationRepository reservations;
    private final PaymentConfig config;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("seat-held-recheck").daemon().factory());

    SeatHeldRecheck(PayableSignals signals, PayableReservationRepository reservations, PaymentConfig config) {
        this.signals = signals;
        this.reservations = reservations;
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
            List<Long> waiting = new ArrayList<>(signals.waitingFor());
            for (int from = 0; from < waiting.size(); from += BATCH) {
                List<Long> batch = waiting.subList(from, Math.min(from + BATCH, waiting.size()));
                QuarkusTransaction.requiringNew().call(() -> reservations.existingAmong(batch)).forEach(signals::known);
            }
            signals.forgetAbandoned(System.nanoTime());
        } catch (RuntimeException e) {
            // never let the timer die: waiters still time out on their own, and the next round tries again
            LOG.warnf(e, "re-checking %d waiting payments failed", signals.waitingCount());
        }
    }
}
