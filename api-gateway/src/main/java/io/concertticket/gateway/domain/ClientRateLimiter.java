package io.concertticket.gateway.domain;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per client: {@code burst} requests at once, refilled at {@code ratePerSecond}.
 * The map of clients is bounded: above {@code maxClients}, buckets that have refilled completely
 * (idle clients, indistinguishable from new ones) are dropped first, and if every client is busy
 * the map starts over rather than grow without limit.
 */
public final class ClientRateLimiter {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final double ratePerNano;
    private final double burst;
    private final int maxClients;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public ClientRateLimiter(double ratePerSecond, int burst, int maxClients) {
        if (ratePerSecond <= 0 || burst < 1 || maxClients < 1) {
            throw new IllegalArgumentException("rate, burst and maxClients must be positive");
        }
        this.ratePerNano = ratePerSecond / NANOS_PER_SECOND;
        this.burst = burst;
        this.maxClients = maxClients;
    }

    /**
     * Takes one request from the client's bucket.
     *
     * @return 0 when the request may pass, otherwise how many nanoseconds until it would
     */
    public long tryAcquire(String client, long nowNanos) {
        Bucket bucket = buckets.get(client);
        if (bucket == null) {
            if (buckets.size() >= maxClients) {
                forgetIdle(nowNanos);
                if (buckets.size() >= maxClients) {
                    buckets.clear();
                }
            }
            bucket = buckets.computeIfAbsent(client, c -> new Bucket(burst, nowNanos));
        }
        return bucket.take(nowNanos, ratePerNano, burst);
    }

    /** Drops the buckets of clients that have been quiet long enough to be full again. */
    public void forgetIdle(long nowNanos) {
        buckets.values().removeIf(b -> b.isFull(nowNanos, ratePerNano, burst));
    }

    public int clients() {
        return buckets.size();
    }

    private static final class Bucket {
        private double tokens;
        private long updatedNanos;

        Bucket(double tokens, long nowNanos) {
            this.tokens = tokens;
            this.updatedNanos = nowNanos;
        }

        synchronized long take(long nowNanos, double ratePerNano, double burst) {
            refill(nowNanos, ratePerNano, burst);
            if (tokens >= 1.0) {
                tokens -= 1.0;
                return 0;
            }
            return Math.max(1L, (long) Math.ceil((1.0 - tokens) / ratePerNano));
        }

        synchronized boolean isFull(long nowNanos, double ratePerNano, double burst) {
            refill(nowNanos, ratePerNano, burst);
            return tokens >= burst;
        }

        private void refill(long nowNanos, double ratePerNano, double burst) {
            long elapsed = nowNanos - updatedNanos;
            if (elapsed > 0) {
                tokens = Math.min(burst, tokens + elapsed * ratePerNano);
                updatedNanos = nowNanos;
            }
        }
    }
}
