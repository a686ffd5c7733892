package io.concertticket.gateway.domain;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class ClientRateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aClientGetsItsBurstThenOneRequestPerRefill() {
        ClientRateLimiter limiter = new ClientRateLimiter(2, 3, 100);
        long t = 1_000 * SECOND;
        assertThat(limiter.tryAcquire("a", t)).isZero();
        assertThat(limiter.tryAcquire("a", t)).isZero();
        assertThat(limiter.tryAcquire("a", t)).isZero();
        long wait = limiter.tryAcquire("a", t);
        assertThat(wait).isEqualTo(SECOND / 2);
        assertThat(limiter.tryAcquire("a", t + SECOND / 2)).isZero();
        assertThat(limiter.tryAcquire("a", t + SECOND / 2)).isPositive();
        assertThat(limiter.tryAcquire("b", t)).as("another client has its own bucket").isZero();
    }

    @Test
    void aBucketNeverHoldsMoreThanItsBurst() {
        ClientRateLimiter limiter = new ClientRateLimiter(10, 2, 100);
        long t = 5 * SECOND;
        limiter.tryAcquire("a", t);
        long later = t + 3600 * SECOND;
        assertThat(limiter.tryAcquire("a", later)).isZero();
        assertThat(limiter.tryAcquire("a", later)).isZero();
        assertThat(limiter.tryAcquire("a", later)).isPositive();
    }

    @Test
    void exactlyTheBurstPassesWhen1000ConcurrentRequestsArriveAtOnce() throws Exception {
        ClientRateLimiter limiter = new ClientRateLimiter(1, 40, 100);
        long now = 42 * SECOND;   // one instant: no refill, so the outcome is exact
        int n = 1000;
        ExecutorService pool = Executors.newFixedThreadPool(200);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Long>> results = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return limiter.tryAcquire("flooder", now);
                }));
            }
            start.countDown();
            int passed = 0;
            for (Future<Long> r : results) {
                if (r.get() == 0) {
                    passed++;
                }
            }
            assertThat(passed).isEqualTo(40);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theNumberOfTrackedClientsIsBoundedWithoutResettingABusyClient() {
        ClientRateLimiter limiter = new ClientRateLimiter(1, 3, 50);
        long t = 10 * SECOND;
        for (int i = 0; i < 3; i++) {
            limiter.tryAcquire("flooder", t);
        }
        for (int i = 0; i < 1000; i++) {
            limiter.tryAcquire("client-" + i, t);
            // the flooder keeps knocking, so its (empty) bucket stays among the valuable ones
            assertThat(limiter.tryAcquire("flooder", t)).as("after %d other clients", i).isPositive();
        }
        assertThat(limiter.clients()).isLessThanOrEqualTo(50);
    }
}
