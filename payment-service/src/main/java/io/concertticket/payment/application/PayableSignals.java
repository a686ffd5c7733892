package io.concertticket.payment.application;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Wake-ups for payment requests waiting for their reservation's SeatHeld. Completed by this replica's
 * consumer after its transaction committed, or by the periodic database re-check
 * ({@link WakeWaitingPayments}), which finds reservations another replica consumed: one query for all
 * waiters, however many there are, instead of one per waiter and interval.
 */
@ApplicationScoped
public class PayableSignals {

    /** One future per reservation, shared by its waiters, kept until the last of them gives up. */
    private record Waiting(CompletableFuture<Void> known, long untilNanos) {
    }

    private final ConcurrentMap<Long, Waiting> waiting = new ConcurrentHashMap<>();

    /** Completed when {@code reservationId} becomes known; register before re-checking the database. */
    public CompletableFuture<Void> awaitKnown(long reservationId, long untilNanos) {
        return waiting.compute(reservationId, (id, w) -> w == null
                ? new Waiting(new CompletableFuture<>(), untilNanos)
                : new Waiting(w.known(), untilNanos - w.untilNanos() > 0 ? untilNanos : w.untilNanos())).known();
    }

    /** {@code reservationId} is in the database now: wake everyone waiting for it. */
    public void known(long reservationId) {
        Waiting w = waiting.remove(reservationId);
        if (w != null) {
            w.known().complete(null);
        }
    }

    /** The reservations someone is waiting for (for the database re-check). */
    public Set<Long> waitingFor() {
        return Set.copyOf(waiting.keySet());
    }

    /** Drops reservations whose waiters have all given up, so unknown ids do not accumulate. */
    public void forgetAbandoned(long nowNanos) {
        waiting.forEach((id, w) -> {
            if (w.untilNanos() - nowNanos < 0) {
                waiting.remove(id, w); // not if a new waiter extended it meanwhile
            }
        });
    }

    /** How many reservations payments are waiting for right now. */
    public int waitingCount() {
        return waiting.size();
    }
}
