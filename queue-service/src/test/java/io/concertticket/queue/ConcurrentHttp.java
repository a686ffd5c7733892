package io.concertticket.queue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** Fires many real HTTP requests at once: worker threads wait on one start gate, then all go. */
public final class ConcurrentHttp {

    public record Result(int status, String body) {
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30))
            .build();

    private ConcurrentHttp() {
    }

    /** A POST of {@code json} as the holder of {@code bearer} (a hop token). */
    public static HttpRequest postJson(URI uri, String json, String bearer) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + bearer)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    /** A GET as the holder of {@code bearer} (a hop token). */
    public static HttpRequest get(URI uri, String bearer) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120)).header("Authorization", "Bearer " + bearer).GET().build();
    }

    public static Result send(HttpRequest request) throws Exception {
        HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        return new Result(r.statusCode(), r.body());
    }

    /** Sends {@code count} requests from {@code threads} threads released together; results in request order. */
    public static List<Result> race(int count, int threads, IntFunction<HttpRequest> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch gate = new CountDownLatch(1);
        try {
            List<Future<Result>> futures = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                HttpRequest r = request.apply(i);
                futures.add(pool.submit(() -> {
                    gate.await();
                    return send(r);
                }));
            }
            gate.countDown();
            List<Result> results = new ArrayList<>(count);
            for (Future<Result> f : futures) {
                results.add(f.get(5, TimeUnit.MINUTES));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
