package io.concertticket.load.ceilings;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A closed-loop HTTP load driver: {@code concurrency} keep-alive connections, each sending its next
 * request as soon as the previous answer is read. Runs on one Vert.x event loop (cheap on a 2-core
 * machine that also runs the system under test) and records latency in an HdrHistogram.
 */
public final class HttpLoad {

    /**
     * One request to send; {@code body} null for none; {@code bearer} the token sent as
     * {@code Authorization: Bearer} (an identity token to the gateway, a hop token to a service), null for none.
     */
    public record Request(HttpMethod method, String uri, String body, String clientAddress, String bearer) {
        public static Request get(String uri, String clientAddress, String bearer) {
            return new Request(HttpMethod.GET, uri, null, clientAddress, bearer);
        }

        public static Request post(String uri, String body, String clientAddress, String bearer) {
            return new Request(HttpMethod.POST, uri, body, clientAddress, bearer);
        }
    }

    /** Supplies request number {@code n} (0-based); null ends that connection's loop. */
    public interface RequestSource {
        Request next(long n);
    }

    public record Result(String name, long requests, double seconds, Histogram latencyMicros, Map<Integer, Long> statuses,
                         long ioErrors) {
        public double perSecond() {
            return requests / seconds;
        }

        public double millis(double percentile) {
            return latencyMicros.getTotalCount() == 0 ? Double.NaN
                    : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
        }

        public long non2xx() {
            return statuses.entrySet().stream().filter(e -> e.getKey() < 200 || e.getKey() > 299)
                    .mapToLong(Map.Entry::getValue).sum() + ioErrors;
        }

        public String line() {
            return String.format("%-44s %9.0f req/s  p50 %7.2f ms  p95 %7.2f ms  p99 %7.2f ms  max %8.2f ms  n=%d  statuses=%s%s",
                    name, perSecond(), millis(50), millis(95), millis(99), millis(100), requests, statuses,
                    ioErrors > 0 ? "  io-errors=" + ioErrors : "");
        }
    }

    private final Vertx vertx;

    public HttpLoad(Vertx vertx) {
        this.vertx = vertx;
    }

    /**
     * Runs {@code warmup} unrecorded, then records for {@code duration} (or until the source is
     * exhausted), then waits for the requests in flight.
     */
    public Result run(String name, String host, int port, RequestSource source, int concurrency,
                      Duration warmup, Duration duration) {
        CompletableFuture<Result> result = new CompletableFuture<>();
        vertx.runOnContext(v -> new Run(name, host, port, source, concurrency, warmup, duration, result).start());
        try {
            return result.get(warmup.plus(duration).toSeconds() + 600, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("load run " + name + " failed", e);
        }
    }

    /** Everything below runs on one event loop: no synchronisation needed. */
    private final class Run {
        private final String name;
        private final RequestSource source;
        private final int concurrency;
        private final Duration warmup;
        private final Duration duration;
        private final CompletableFuture<Result> result;
        private final HttpClient client;
        private final Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        private final Map<Integer, Long> statuses = new TreeMap<>();
        private long next;
        private long recorded;
        private long ioErrors;
        private long recordFrom;
        private long stopAt;
        private long stoppedAt;
        private int running;

        Run(String name, String host, int port, RequestSource source, int concurrency, Duration warmup,
            Duration duration, CompletableFuture<Result> result) {
            this.name = name;
            this.source = source;
            this.concurrency = concurrency;
            this.warmup = warmup;
            this.duration = duration;
            this.result = result;
            this.client = vertx.createHttpClient(
                    new HttpClientOptions().setDefaultHost(host).setDefaultPort(port).setKeepAlive(true)
                            .setConnectTimeout(5000).setIdleTimeout(0),
                    new PoolOptions().setHttp1MaxSize(concurrency).setMaxWaitQueueSize(-1));
        }

        void start() {
            long now = System.nanoTime();
            recordFrom = now + warmup.toNanos();
            stopAt = recordFrom + duration.toNanos();
            running = concurrency;
            for (int i = 0; i < concurrency; i++) {
                fire();
            }
        }

        private void fire() {
            long now = System.nanoTime();
            Request request = now < stopAt ? source.next(next++) : null;
            if (request == null) {
                finishOne(now);
                return;
            }
            RequestOptions options = new RequestOptions().setMethod(request.method()).setURI(request.uri())
                    .setTimeout(30_000);
            if (request.clientAddress() != null) {
                options.putHeader("X-Forwarded-For", request.clientAddress());
            }
            if (request.bearer() != null) {
                options.putHeader("Authorization", "Bearer " + request.bearer());
            }
            if (request.body() != null) {
                options.putHeader("Content-Type", "application/json");
            }
            long started = System.nanoTime();
            client.request(options)
                    .compose(req -> request.body() == null ? req.send() : req.send(Buffer.buffer(request.body())))
                    .compose(resp -> resp.body().map(b -> resp.statusCode()))
                    .onComplete(ar -> {
                        long done = System.nanoTime();
                        if (started >= recordFrom && done <= stopAt) {
                            recorded++;
                            if (ar.succeeded()) {
                                histogram.recordValue(Math.min(histogram.getHighestTrackableValue(),
                                        Math.max(1, (done - started) / 1000)));
                                statuses.merge(ar.result(), 1L, Long::sum);
                            } else {
                                ioErrors++;
                            }
                        } else if (ar.failed() && started >= recordFrom) {
                            ioErrors++;
                        }
                        fire();
                    });
        }

        private void finishOne(long now) {
            if (stoppedAt == 0 || now > stoppedAt) {
                stoppedAt = Math.min(now, stopAt);
            }
            if (--running == 0) {
                double seconds = Math.max(1e-9, (Math.min(stoppedAt, stopAt) - recordFrom) / 1e9);
                client.close();
                result.complete(new Result(name, recorded, seconds, histogram, statuses, ioErrors));
            }
        }
    }
}
