package io.concertticket.gateway.api;

import io.concertticket.gateway.support.FakeServices;
import io.concertticket.gateway.support.Fakes;
import io.concertticket.gateway.support.Scrape;
import io.concertticket.gateway.support.Tokens;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.testing.LongScenario;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A service whose pooled connections are all busy: requests wait for one up to {@code gateway.proxy.pool-wait-timeout},
 * then get 503. What must not happen is a connection lost to a request that gave up: a waiter whose wait ran out
 * just as a connection was handed to it (Vert.x 4's pool answers it "timed out" and still creates the request on
 * that connection, which then sits unsent until its response timeout). After a flood of such waits, every pooled
 * connection must be free the moment the flood ends.
 */
@QuarkusTest
@LongScenario
@WithTestResource(RealInfrastructureResource.class)
@WithTestResource(FakeServices.class)
@TestProfile(PoolWaitTest.SmallPool.class)
class PoolWaitTest {

    static final int CONNECTIONS = 4;
    static final Duration FLOOD = Duration.ofSeconds(4);
    static final int CLIENTS = 64;

    public static class SmallPool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.proxy.max-connections-per-service", String.valueOf(CONNECTIONS),
                    "gateway.proxy.pool-wait-timeout", "20ms",
                    // the flood is one account: here only the pool may refuse it
                    "gateway.rate-limit.enabled", "false");
        }
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String identity = Tokens.bearer("pool-" + UUID.randomUUID());

    @Test
    void afterAFloodOfRequestsThatWaitedInVainEveryPooledConnectionIsFreeAtOnce() throws Exception {
        double busyBefore = busyRefusals(Scrape.text());
        Map<Integer, AtomicInteger> flood = new ConcurrentHashMap<>();
        List<String> busyAnswers = new CopyOnWriteArrayList<>();
        AtomicInteger mostWaiting = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS + 1);
        try {
            long end = System.nanoTime() + FLOOD.toNanos();
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                running.add(clients.submit(() -> {
                    while (System.nanoTime() < end) {
                        HttpResponse<String> answer = get("/api/v1/queue/tokens/bench-" + UUID.randomUUID());
                        flood.computeIfAbsent(answer.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                        if (answer.statusCode() == 503 && busyAnswers.size() < 3) {
                            busyAnswers.add(answer.body());
                        }
                    }
                    return null;
                }));
            }
            // what an operator sees meanwhile: the replica's connections all in use, and a line waiting for them
            running.add(clients.submit(() -> {
                while (System.nanoTime() < end) {
                    String metrics = Scrape.text();
                    mostWaiting.accumulateAndGet((int) queueGauge(metrics, "gateway_upstream_waiting"), Math::max);
                    mostInFlight.accumulateAndGet((int) queueGauge(metrics, "gateway_upstream_in_flight"), Math::max);
                    Thread.sleep(200);
                }
                return null;
            }));
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            clients.shutdownNow();
        }
        System.out.printf("flood of %d clients for %s on %d connections: %s; gauges at most %d in flight, %d waiting%n",
                CLIENTS, FLOOD, CONNECTIONS, new TreeMap<>(flood), mostInFlight.get(), mostWaiting.get());
        assertThat(flood.keySet()).as("statuses of the flood: served or busy, nothing else").isSubsetOf(200, 503);
        int busy = flood.getOrDefault(503, new AtomicInteger()).get();
        assertThat(busy).as("requests that waited in vain (the pool was full)").isPositive();
        assertThat(busyAnswers).allSatisfy(body -> assertThat(body).contains("queue-service is busy"));
        assertThat(busyRefusals(Scrape.text()) - busyBefore)
                .as("every 503 of the flood counted as service-busy").isEqualTo(busy);
        assertThat(mostInFlight.get()).as("requests on the replica's connections, at most").isEqualTo(CONNECTIONS);
        assertThat(mostWaiting.get()).as("requests waiting for a connection, at most").isPositive();
        // While refusing, the gateway keeps its connections busy serving. A pool that hands its connections to requests
        // that gave up serves almost nothing (3 in 2,186 when that was tried); a working one served 6 to 9 in a hundred
        // here, alone and in a loaded CI run alike (a share: the counts themselves follow the machine's load).
        int served = flood.getOrDefault(200, new AtomicInteger()).get();
        int total = flood.values().stream().mapToInt(AtomicInteger::get).sum();
        assertThat(served * 100).as("requests served during the flood: %d of %d, and at least 1 in 100", served, total)
                .isGreaterThanOrEqualTo(total);

        // The gateway's own count: nothing in flight or waiting once the flood's last answers are out.
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
            String metrics = Scrape.text();
            assertThat(queueGauge(metrics, "gateway_upstream_in_flight")).isZero();
            assertThat(queueGauge(metrics, "gateway_upstream_waiting")).isZero();
        });

        // As many slow requests at once as there are connections: each needs a connection of its own, right now
        // (the pool wait is far shorter than the answer), so one connection still held by a dead request is a 503.
        ExecutorService slow = Executors.newFixedThreadPool(CONNECTIONS);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                answers.add(slow.submit(() -> get("/api/v1/queue/tokens/slow-" + UUID.randomUUID())));
            }
            for (Future<HttpResponse<String>> a : answers) {
                HttpResponse<String> answer = a.get();
                assertThat(answer.statusCode()).as("a request for one of the %d pooled connections right after the flood: %s",
                        CONNECTIONS, answer.body()).isEqualTo(200);
            }
        } finally {
            slow.shutdownNow();
        }
        assertThat(Fakes.seenBy("queue")).filteredOn(uri -> uri.contains("/slow-")).hasSize(CONNECTIONS);
    }

    /** A gauge of the fake queue-service's one replica in a scrape (0 when it is not there). */
    private static double queueGauge(String scrape, String name) {
        String replica = ConfigProvider.getConfig().getValue("gateway.queue-service-url", String.class);
        return Scrape.series(scrape, name).getOrDefault("replica=\"" + replica + "\",service=\"queue-service\"", 0.0);
    }

    private static double busyRefusals(String scrape) {
        return Scrape.series(scrape, "gateway_refusals_total")
                .getOrDefault("credential=\"none\",reason=\"service-busy\",status=\"503\"", 0.0);
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + path))
                .header("Authorization", identity)
                .header("X-Forwarded-For", Fakes.uniqueClient())
                .timeout(Duration.ofSeconds(30))
                .GET().build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
