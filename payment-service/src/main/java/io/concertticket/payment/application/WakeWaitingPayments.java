package io.concertticket.payment.application;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * Wakes the payments waiting for reservations that have arrived (consumed by any replica, so this replica's
 * consumer may never have seen them): one query for all waiters ({@link PayableSignals}), however many there are.
 */
@ApplicationScoped
public class WakeWaitingPayments {

    /** Ids per query, far below PostgreSQL's limit of bind parameters. */
    private static final int BATCH = 1_000;

    private final PayableSignals signals;
    private final PayableReservations reservations;

    WakeWaitingPayments(PayableSignals signals, PayableReservations reservations) {
        this.signals = signals;
        this.reservations = reservations;
    }

    public void wakeKnown() {
        List<Long> waiting = new ArrayList<>(signals.waitingFor());
        for (int from = 0; from < waiting.size(); from += BATCH) {
            List<Long> batch = waiting.subList(from, Math.min(from + BATCH, waiting.size()));
            QuarkusTransaction.requiringNew().call(() -> reservations.existingAmong(batch)).forEach(signals::known);
        }
        signals.forgetAbandoned(System.nanoTime());
    }
}
