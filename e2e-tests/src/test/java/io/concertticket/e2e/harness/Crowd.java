package io.concertticket.e2e.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/** Many users at once: one thread each, released together by a start gate. */
public final class Crowd {

    private Crowd() {
    }

    /** Runs {@code action} for every item on its own thread, all starting at the same instant; returns results in order. */
    public static <T, R> List<R> race(List<T> items, Duration max, Function<T, R> action) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, items.size()));
        CountDownLatch gate = new CountDownLatch(1);
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> {
                    gate.await();
                    return action.apply(item);
                }));
            }
            gate.countDown();
            long deadline = System.nanoTime() + max.toNanos();
            List<R> results = new ArrayList<>();
            for (Future<R> f : futures) {
                results.add(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
            return results;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AssertionError a) {
                throw a;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the crowd did not finish within " + max, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs {@code task} on a thread of its own (not the common pool, which has one thread on two cores). */
    public static <R> java.util.concurrent.CompletableFuture<R> background(java.util.function.Supplier<R> task) {
        java.util.concurrent.CompletableFuture<R> f = new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(task.get());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "e2e-background");
        t.setDaemon(true);
        t.start();
        return f;
    }

    /**
     * New accounts {@code <prefix>-1 .. <prefix>-n} (created in one call and signed in) who joined the queue
     * of {@code concertId}, were admitted and charged {@code amount(i)} points; in order.
     */
    public static List<Shopper> admittedAndCharged(Platform platform, Api api, long concertId, String prefix, int n,
                                                   java.util.function.IntToLongFunction amount) {
        List<Shopper> shoppers = platform.shoppers(api, prefix, n, concertId);
        List<Integer> indexes = java.util.stream.IntStream.range(0, n).boxed().toList();
        return race(indexes, Duration.ofMinutes(4), i -> {
            Shopper s = shoppers.get(i);
            s.join(Duration.ofMinutes(3));
            s.charge(amount.applyAsLong(i));
            return s;
        });
    }
}
