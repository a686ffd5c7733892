package io.concertticket.gateway.benchmark;

import io.concertticket.gateway.application.AuthenticateAdmissionToken;
import io.concertticket.gateway.application.HopTokenSigner;
import io.concertticket.gateway.application.IssueHopToken;
import io.concertticket.gateway.domain.Account;
import io.concertticket.gateway.domain.HopGrant;
import io.concertticket.gateway.domain.Upstream;
import io.concertticket.gateway.infrastructure.OidcIdentityTokens;
import io.concertticket.gateway.infrastructure.JwksKeySource;
import io.concertticket.gateway.infrastructure.Rs256TokenVerifier;
import io.concertticket.gateway.support.FakeServices;
import io.concertticket.gateway.support.Tokens;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.httpproxy.HttpProxy;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not a test: measures, prints, asserts nothing about speed. Run on demand:
 * {@code ./mvnw -o -pl api-gateway verify -Dgroups=benchmark -Dexcluded-test-groups=none -Dtest=GatewayThroughputBenchmark}
 *
 * <p>Throughput of the queue poll ({@code GET /api/v1/queue/tokens/{token}}) against the same upstream
 * (a fake queue-service answering a small fixed JSON), measured in alternating rounds: directly, through
 * a bare Vert.x HTTP proxy (vertx-http-proxy, no checks), through the gateway with an identity token, and
 * through the gateway on a sale route with identity and admission tokens (both verified once, then cached;
 * hop tokens cached). Then the cost of each check, uncached and cached.
 */
@Tag("benchmark")
@QuarkusTest
@TestProfile(GatewayThroughputBenchmark.Profile.class)
@WithTestResource(RealInfrastructureResource.class)
@WithTestResource(FakeServices.class)
class GatewayThroughputBenchmark {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.rate-limit.enabled", "false",
                    "quarkus.http.access-log.enabled", "false",
                    "quarkus.log.category.\"io.concertticket\".level", "WARN");
        }
    }

    private static final int CONNECTIONS = Integer.getInteger("bench.connections", 32);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 7);
    private static final long WARMUP_MILLIS = Long.getLong("bench.warmup-ms", 2_000);
    private static final long MEASURE_MILLIS = Long.getLong("bench.measure-ms", 3_000);

    @Inject
    AuthenticateAdmissionToken admissions;

    @Inject
    OidcIdentityTokens identities;

    @Inject
    HopTokenSigner signer;

    @Inject
    IssueHopToken hopTokens;

    @Inject
    JwksKeySource keys;

    @Test
    void throughputThroughTheGatewayAgainstDirectAndBareProxy() throws Exception {
        URI queue = URI.create(ConfigProvider.getConfig().getValue("gateway.queue-service-url", String.class));
        Vertx vertx = Vertx.vertx();
        try {
            HttpClient proxyClient = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                    new PoolOptions().setHttp1MaxSize(256));
            HttpServer bare = vertx.createHttpServer()
                    .requestHandler(HttpProxy.reverseProxy(proxyClient).origin(queue.getPort(), queue.getHost()));
            int barePort = bare.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).actualPort();

            String poll = "/api/v1/queue/tokens/bench-" + UUID.randomUUID();
            String identity = Tokens.bearer("bench-user");
            String admission = Tokens.admission("bench-user", 42, UUID.randomUUID());
            Map<String, Target> targets = new LinkedHashMap<>();
            targets.put("direct (fake queue-service)", new Target(queue.getPort(), poll, Map.of()));
            targets.put("bare vertx-http-proxy", new Target(barePort, poll, Map.of()));
            targets.put("gateway, queue poll", new Target(RestAssured.port, poll, Map.of("Authorization", identity)));
            targets.put("gateway, sale route", new Target(RestAssured.port, "/api/v1/schedules/1/bench",
                    Map.of("Authorization", identity, "Admission-Token", admission)));

            HttpClient load = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setPipelining(false),
                    new PoolOptions().setHttp1MaxSize(CONNECTIONS));
            Map<String, List<Double>> results = new LinkedHashMap<>();
            Map<String, List<Double>> cpu = new LinkedHashMap<>();
            targets.keySet().forEach(k -> results.put(k, new ArrayList<>()));
            targets.keySet().forEach(k -> cpu.put(k, new ArrayList<>()));
            List<String> names = new ArrayList<>(targets.keySet());
            for (String name : names) {   // warm-up of every path (JIT, pools)
                run(load, targets.get(name), WARMUP_MILLIS);
            }
            Recording recording = startRecording();
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < names.size(); i++) {   // rotate the order every round
                    String name = names.get((i + round) % names.size());
                    Measured measured = run(load, targets.get(name), MEASURE_MILLIS);
                    results.get(name).add(measured.perSecond());
                    cpu.get(name).add(measured.cpuMicrosPerRequest());
                }
            }
            stopRecording(recording);
            System.out.println();
            System.out.printf("BENCHMARK %d connections, %d rounds x %d ms, %d cores, load average %.1f%n",
                    CONNECTIONS, ROUNDS, MEASURE_MILLIS, Runtime.getRuntime().availableProcessors(),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            List<Double> bareRounds = results.get("bare vertx-http-proxy");
            List<Double> directRounds = results.get("direct (fake queue-service)");
            results.forEach((name, values) -> {
                // Ratios within a round compare measurements taken seconds apart, so the machine's varying
                // load (other builds) cancels out better than in a ratio of overall medians.
                List<Double> toBare = new ArrayList<>();
                List<Double> toDirect = new ArrayList<>();
                for (int r = 0; r < values.size(); r++) {
                    toBare.add(100 * values.get(r) / bareRounds.get(r));
                    toDirect.add(100 * values.get(r) / directRounds.get(r));
                }
                System.out.printf("BENCHMARK %-28s median %8.0f req/s | per-round median %5.1f%% of bare proxy, %5.1f%% of direct | rounds %s%n",
                        name, median(values), median(toBare), median(toDirect), format(values));
            });
            // CPU of this whole JVM (load client, fake service, bare proxy and gateway) per request; the direct
            // rounds' figure is the client and the fake service alone, so what a hop adds is the difference.
            // Unlike req/s it hardly depends on what else the machine runs.
            List<Double> directCpu = cpu.get("direct (fake queue-service)");
            List<Double> bareCpu = cpu.get("bare vertx-http-proxy");
            cpu.forEach((name, values) -> {
                List<Double> hop = new ArrayList<>();
                List<Double> toBare = new ArrayList<>();
                for (int r = 0; r < values.size(); r++) {
                    hop.add(values.get(r) - directCpu.get(r));
                    toBare.add(hop.get(r) / (bareCpu.get(r) - directCpu.get(r)));
                }
                System.out.printf("BENCHMARK CPU %-24s median %6.1f us/request, the hop %6.1f us (%4.2fx the bare proxy's) | rounds %s%n",
                        name, median(values), median(hop), median(toBare), format1(values));
            });
            assertThat(results.values()).allSatisfy(v -> assertThat(v).hasSize(ROUNDS));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void costOfEachCheck() throws Exception {
        int distinct = 2_000;
        Rs256TokenVerifier verifier = new Rs256TokenVerifier("concert-queue");
        List<String> admissionTokens = new ArrayList<>();
        List<String> identityTokens = new ArrayList<>();
        for (int i = 0; i < distinct; i++) {
            admissionTokens.add(Tokens.admission("user-" + i, 42, UUID.randomUUID()));
            identityTokens.add(Tokens.identity("user-" + i));
        }
        for (String t : admissionTokens.subList(0, 500)) {   // warm-up
            verifier.verify(t, keys.current());
        }
        long started = System.nanoTime();
        for (String t : admissionTokens) {
            verifier.verify(t, keys.current());
        }
        double admissionNs = (System.nanoTime() - started) / (double) distinct;

        for (String t : identityTokens.subList(0, 500)) {   // warm-up
            identities.verify(t).toCompletionStage().toCompletableFuture().get();
        }
        started = System.nanoTime();
        for (String t : identityTokens) {
            identities.verify(t).toCompletionStage().toCompletableFuture().get();
        }
        double identityNs = (System.nanoTime() - started) / (double) distinct;

        long now = System.currentTimeMillis();
        Account account = new Account("bench-user", java.util.Set.of(), now + 300_000);
        HopGrant grant = new HopGrant(account, null, Upstream.QUEUE);
        for (int i = 0; i < 500; i++) {   // warm-up
            signer.sign(grant, now / 1000, now / 1000 + 60);
        }
        started = System.nanoTime();
        for (int i = 0; i < distinct; i++) {
            signer.sign(grant, now / 1000, now / 1000 + 60);
        }
        double signNs = (System.nanoTime() - started) / (double) distinct;

        String header = admissionTokens.get(0);
        int n = 2_000_000;
        long blackhole = 0;
        for (int i = 0; i < n / 4; i++) {   // warm-up
            blackhole += admissions.authenticate(header, System.currentTimeMillis()).concertId();
            blackhole += hopTokens.hopToken(grant, System.currentTimeMillis()).length();
        }
        started = System.nanoTime();
        for (int i = 0; i < n; i++) {
            // a fresh String per call, as a request brings one: the cache must hash it
            blackhole += admissions.authenticate(new String(header), System.currentTimeMillis()).concertId();
        }
        double cachedNs = (System.nanoTime() - started) / (double) n;
        started = System.nanoTime();
        for (int i = 0; i < n; i++) {
            blackhole += hopTokens.hopToken(new HopGrant(account, null, Upstream.QUEUE), System.currentTimeMillis()).length();
        }
        double cachedHopNs = (System.nanoTime() - started) / (double) n;
        System.out.printf("BENCHMARK identity token verification (quarkus-oidc, uncached): %.0f ns/op%n", identityNs);
        System.out.printf("BENCHMARK admission token verification (RS256 signature + claims, uncached): %.0f ns/op%n", admissionNs);
        System.out.printf("BENCHMARK hop token signature (RS256, uncached): %.0f ns/op%n", signNs);
        System.out.printf("BENCHMARK admission token authentication (cached: lookup, expiry, revocation): %.0f ns/op%n", cachedNs);
        System.out.printf("BENCHMARK hop token (cached): %.0f ns/op%n", cachedHopNs);
        assertThat(blackhole).isPositive();
    }

    private record Target(int port, String path, Map<String, String> headers) {
    }

    /** Requests per second and this JVM's CPU time per request (all threads, microseconds) of one run. */
    private record Measured(double perSecond, double cpuMicrosPerRequest) {
    }

    /** With {@code -Dbench.jfr=<file>}: a JFR recording (settings "profile") of the measured rounds. */
    private static Recording startRecording() throws Exception {
        String file = System.getProperty("bench.jfr");
        if (file == null || file.isBlank()) {
            return null;
        }
        Recording recording = new Recording(Configuration.getConfiguration("profile"));
        recording.setDestination(java.nio.file.Path.of(file));
        recording.start();
        return recording;
    }

    private static void stopRecording(Recording recording) {
        if (recording != null) {
            recording.stop();
            recording.close();
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Closed loop: CONNECTIONS requests in flight, each completion sends the next. */
    private static Measured run(HttpClient client, Target target, long millis) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        CompletableFuture<Void> done = new CompletableFuture<>();
        AtomicLong inFlight = new AtomicLong(CONNECTIONS);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
                .setPort(target.port()).setURI(target.path());
        target.headers().forEach(options::putHeader);
        long started = System.nanoTime();
        long cpuStarted = processCpuNanos();
        for (int i = 0; i < CONNECTIONS; i++) {
            loop(client, options, running, ok, failed, inFlight, done);
        }
        Thread.sleep(millis);
        running.set(false);
        long elapsed = System.nanoTime() - started;
        done.get(60, TimeUnit.SECONDS);
        long cpu = processCpuNanos() - cpuStarted;
        assertThat(failed.get()).as("failed requests").isZero();
        return new Measured(ok.get() / (elapsed / 1e9), cpu / 1e3 / ok.get());
    }

    private static void loop(HttpClient client, RequestOptions options, AtomicBoolean running, AtomicLong ok,
                             AtomicLong failed, AtomicLong inFlight, CompletableFuture<Void> done) {
        if (!running.get()) {
            if (inFlight.decrementAndGet() == 0) {
                done.complete(null);
            }
            return;
        }
        client.request(options)
                .compose(request -> request.send().compose(HttpClientResponse::body).map(body -> request))
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        ok.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                    loop(client, options, running, ok, failed, inFlight, done);
                });
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String format1(List<Double> values) {
        StringBuilder sb = new StringBuilder("[");
        for (Double v : values) {
            sb.append(sb.length() > 1 ? ", " : "").append(String.format(java.util.Locale.ROOT, "%.1f", v));
        }
        return sb.append(']').toString();
    }

    private static String format(List<Double> values) {
        StringBuilder sb = new StringBuilder("[");
        for (Double v : values) {
            sb.append(sb.length() > 1 ? ", " : "").append(Math.round(v));
        }
        return sb.append(']').toString();
    }
}
