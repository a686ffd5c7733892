package io.concertticket.gateway.infrastructure;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The proxied requests one replica may have at once: as many as the gateway's pooled connections to it
 * ({@code gateway.proxy.max-connections-per-service}). The others wait here, first come first served, at most
 * {@code gateway.proxy.max-wait-queue} of them and each for at most {@code gateway.proxy.pool-wait-timeout}; then
 * they are refused (503).
 *
 * <p>Why not Vert.x's own pool queue: in Vert.x 4 a waiter whose wait runs out just as a connection is handed to it
 * is answered "timed out" and still gets a request created on that connection, which nobody sends; it holds the
 * connection until its response timeout. Under a surge that strands most of the pool (PoolWaitTest). With never
 * more requests than connections, Vert.x's pool has nobody waiting to time out.
 */
public final class ConnectionPermits {

    private final Vertx vertx;
    private final int limit;
    private final int maxWaiting;
    private final long maxWaitMillis;
    private final String serviceName;
    private int inUse;
    /** In arrival order; a waiter whose time ran out leaves from wherever it is. */
    private final LinkedHashSet<Waiter> waiting = new LinkedHashSet<>();

    public ConnectionPermits(Vertx vertx, int limit, int maxWaiting, long maxWaitMillis, String serviceName) {
        if (limit < 1) {
            throw new IllegalArgumentException("at least one connection per service, not " + limit);
        }
        this.vertx = vertx;
        this.limit = limit;
        this.maxWaiting = maxWaiting;
        this.maxWaitMillis = maxWaitMillis;
        this.serviceName = serviceName;
    }

    /** Held while a request uses one of the replica's connections; released exactly once, whatever calls it. */
    public final class Permit {
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit() {
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                handOver();
            }
        }
    }

    /**
     * A permit now, or on the caller's context as soon as one is released; or refused with a {@link ReplicaBusy}
     * when the wait ran out or too many wait already.
     */
    public void acquire(Consumer<Permit> granted, Consumer<Exception> refused) {
        Waiter waiter = null;
        boolean queueFull = false;
        synchronized (this) {
            if (inUse < limit) {
                inUse++;
            } else if (waiting.size() >= maxWaiting) {
                queueFull = true;
            } else {
                waiter = new Waiter(vertx.getOrCreateContext(), granted, refused);
                waiting.add(waiter);
            }
        }
        if (queueFull) {
            refused.accept(new ReplicaBusy(maxWaiting + " requests already wait for a connection to " + serviceName));
        } else if (waiter == null) {
            granted.accept(new Permit());
        } else {
            Waiter w = waiter;
            w.timer = vertx.setTimer(maxWaitMillis, id -> timeOut(w));
        }
    }

    /** Requests holding a permit: using one of the replica's connections (gauge {@code gateway_upstream_in_flight}). */
    public synchronized int inUse() {
        return inUse;
    }

    /** Requests waiting for a permit (gauge {@code gateway_upstream_waiting}). */
    public synchronized int waiting() {
        return waiting.size();
    }

    private void handOver() {
        Waiter next = null;
        synchronized (this) {
            Iterator<Waiter> first = waiting.iterator();
            if (first.hasNext()) {
                next = first.next();
                first.remove();
            } else {
                inUse--;
            }
        }
        if (next != null) {
            Waiter w = next;
            vertx.cancelTimer(w.timer);
            w.context.runOnContext(v -> w.granted.accept(new Permit()));
        }
    }

    private void timeOut(Waiter waiter) {
        boolean stillWaiting;
        synchronized (this) {
            stillWaiting = waiting.remove(waiter);
        }
        if (stillWaiting) {
            waiter.refused.accept(new ReplicaBusy("every connection to " + serviceName + " stayed busy for "
                    + maxWaitMillis + " ms"));
        }
    }

    /**
     * Refused because the replica is busy: its wait ran out, or its line was full. The replica is up; the client
     * may try again shortly. Without a stack trace: under a surge there are thousands a second, all alike.
     */
    public static final class ReplicaBusy extends Exception {
        ReplicaBusy(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Waiter {
        final Context context;
        final Consumer<Permit> granted;
        final Consumer<Exception> refused;
        volatile long timer = -1;

        Waiter(Context context, Consumer<Permit> granted, Consumer<Exception> refused) {
            this.context = context;
            this.granted = granted;
            this.refused = refused;
        }
    }
}
