package io.concertticket.gateway.domain;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket per client (an account, or a client address): {@code burst} requests at once, refilled
 * at {@code ratePerSecond}. Memory is bounded without ever resetting everyone: a bucket untouched for as
 * long as it takes to refill completely is forgotten (a full bucket and a new one are the same), and
 * above {@code maxClients} the least valuable buckets are evicted one by one (Caffeine).
 *
 * <p>One clock: the buckets and their expiry both run on the time the callers pass ({@code nowNanos}), so a
 * bucket is never forgotten early because the caller's clock and Caffeine's disagree (a test that steps
 * time by hand saw a refused client become a full new bucket when its thread stalled on a loaded machine).
 */
public final class ClientRateLimiter {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final double ratePerNano;
    private final double burst;
    private final Cache<String, Bucket> buckets;
    /** The time the latest caller passed: Caffeine's clock for expiring untouched buckets. */
    private final AtomicLong latestNow = new AtomicLong(System.nanoTime());

    public ClientRateLimiter(double ratePerSecond, int burst, int maxClients) {
        if (ratePerSecond <= 0 || burst < 1 || maxClients < 1) {
            throw new IllegalArgumentException("rate, burst and maxClients must be positive");
        }
        this.ratePerNano = ratePerSecond / NANOS_PER_SECOND;
        this.burst = burst;
        long refillNanos = (long) Math.ceil(burst / ratePerNano);
        this.buckets = Caffeine.newBuilder()
                .ticker(latestNow::get)
                .executor(Runnable::run)   // eviction on the caller, deterministic and cheap
                .maximumSize(maxClients)
                .expireAfterAccess(Duration.ofNanos(refillNanos))
                .build();
    }

    /**
     * Takes one request from the client's bucket.
     *
     * @return 0 when the request may pass, otherwise how many nanoseconds until it would
     */
    public long tryAcquire(String client, long nowNanos) {
        latestNow.set(nowNanos);
        return buckets.get(client, c -> new Bucket(burst, nowNanos)).take(nowNanos, ratePerNano, burst);
    }

    /** Returns a request taken by {@link #tryAcquire} that turned out not to count (never above the burst). */
    public void giveBack(String client) {
        Bucket bucket = buckets.getIfPresent(client);
        if (bucket != null) {
            bucket.giveBack(burst);
        }
    }

    public long clients() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    private static final class Bucket {
        private double tokens;
        private long updatedNanos;

        Bucket(double tokens, long nowNanos) {
            this.tokens = tokens;
            this.updatedNanos = nowNanos;
        }

        synchronized long take(long nowNanos, double ratePerNano, double burst) {
            long elapsed = nowNanos - updatedNanos;
            if (elapsed > 0) {
                tokens = Math.min(burst, tokens + elapsed * ratePerNano);
                updatedNanos = nowNanos;
            }
            if (tokens >= 1.0) {
                tokens -= 1.0;
                return 0;
            }
            return Math.max(1L, (long) Math.ceil((1.0 - tokens) / ratePerNano));
        }

        synchronized void giveBack(double burst) {
            tokens = Math.min(burst, tokens + 1.0);
        }
    }
}
