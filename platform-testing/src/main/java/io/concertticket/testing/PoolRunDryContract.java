package io.concertticket.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Never a 500 for load" (README, "Errors"): while the service's connection pool has no connection to give, every request
 * that needs its database is answered 503 problem {@code service-unavailable} naming the service, with
 * {@code Retry-After}, and no internals; once connections are free again the same requests are answered as usual. The
 * test takes every connection of the service's real pool (on its real PostgreSQL) and holds them while
 * {@value #REQUESTS} requests arrive at once. A service's {@code PoolRunDryTest} extends this as a {@code @QuarkusTest}
 * with its infrastructure and names the requests.
 */
@LongScenario // a fault: the pool run dry on purpose (inherited by every service's PoolRunDryTest)
public abstract class PoolRunDryContract {

    private static final int REQUESTS = 20;
    /** How long a request waits for a connection while the pool is held (the services' own setting is 5 s). */
    private static final Duration ACQUISITION_TIMEOUT = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** The service's connection pool (the subclass injects its {@code AgroalDataSource}). */
    protected abstract AgroalDataSource pool();

    /** The service's name, as its problems name it ({@code quarkus.application.name}). */
    protected abstract String serviceName();

    /** The {@code i}-th request: one the service can answer only from its database. */
    protected abstract HttpRequest needingTheDatabase(URI service, int i);

    /** What the {@code i}-th request is answered while the database has connections to spare. */
    protected abstract int usualStatus(int i);

    /** Anything the requests rely on, made before the pool is held (a sale to join, an account). */
    protected void prepare() throws Exception {
    }

    @Test
    void aPoolRunDryIsAnswered503WithRetryAfterNeverA500() throws Exception {
        prepare();
        URI service = URI.create("http://localhost:" + RestAssured.port);
        AgroalConnectionPoolConfiguration config = pool().getConfiguration().connectionPoolConfiguration();
        Duration configuredTimeout = config.acquisitionTimeout();
        List<Connection> held = new ArrayList<>();
        List<HttpResponse<String>> answers;
        config.setAcquisitionTimeout(ACQUISITION_TIMEOUT);
        try {
            holdEveryConnection(config.maxSize(), held);
            answers = race(REQUESTS, i -> needingTheDatabase(service, i));
        } finally {
            for (Connection c : held) {
                c.close();
            }
            config.setAcquisitionTimeout(configuredTimeout);
        }
        for (HttpResponse<String> answer : answers) {
            String what = answer.request().method() + " " + answer.request().uri() + " answered " + answer.statusCode() + " " + answer.body();
            assertEquals(503, answer.statusCode(), what);
            assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), what);
            assertEquals("1", answer.headers().firstValue("Retry-After").orElse(null), what);
            JsonNode problem = JSON.readTree(answer.body());
            assertEquals("https://concert-platform.example/problems/service-unavailable", problem.path("type").asText(), what);
            assertEquals(503, problem.path("status").asInt(), what);
            assertEquals(serviceName(), problem.path("service").asText(), what);
            assertFalse(answer.body().contains("Exception") || answer.body().contains("acquisition"), "no internals: " + what);
        }
        // the same requests once the connections are back: answered as usual, so the 503s were the pool's doing
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> answer = HTTP.send(needingTheDatabase(service, REQUESTS + i), HttpResponse.BodyHandlers.ofString());
            assertEquals(usualStatus(REQUESTS + i), answer.statusCode(), answer.body());
        }
    }

    /**
     * Takes connections until {@code maxSize} are held: then nobody else gets one. A try that times out (a connection
     * the service's own jobs are using, not yet returned) is tried again.
     */
    private void holdEveryConnection(int maxSize, List<Connection> held) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (held.size() < maxSize) {
            assertTrue(System.nanoTime() < deadline, "held " + held.size() + " of " + maxSize + " connections within 60 s");
            try {
                held.add(pool().getConnection());
            } catch (SQLException inUse) {
                // a job of the service holds it for now
            }
        }
    }

    private static List<HttpResponse<String>> race(int count, java.util.function.IntFunction<HttpRequest> request) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(count);
        CountDownLatch gate = new CountDownLatch(1);
        try {
            List<Future<HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                HttpRequest r = request.apply(i);
                sent.add(threads.submit(() -> {
                    gate.await();
                    return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
                }));
            }
            gate.countDown();
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (Future<HttpResponse<String>> f : sent) {
                answers.add(f.get(2, TimeUnit.MINUTES));
            }
            return answers;
        } finally {
            threads.shutdownNow();
        }
    }
}
