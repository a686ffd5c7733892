package io.concertticket.payment.application;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * In-memory wake-ups for payment requests waiting for their reservation's SeatHeld: the consumer
 * signals after its transaction committed. Only a shortcut: waiters re-check the database too,
 * since another replica may have consumed the event.
 */
@ApplicationScoped
public class PayableSignals {

    private final ConcurrentMap<Long, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

    /** The future completed when {@code reservationId} becomes known here. Register before re-checking the DB. */
    public CompletableFuture<Void> awaitKnown(long reservationId) {
        return waiting.computeIfAbsent(reservationId, id -> new CompletableFuture<>());
    }

    public void known(long reservationId) {
        CompletableFuture<Void> f = waiting.remove(reservationId);
        if (f != null) {
            f.complete(null);
        }
    }

    /** A waiter that gave up drops the entry, so unknown ids do not accumulate. */
    public void giveUp(long reservationId, CompletableFuture<Void> future) {
        waiting.remove(reservationId, future);
    }

    int waitingCount() {
        return waiting.size();
    }
}
