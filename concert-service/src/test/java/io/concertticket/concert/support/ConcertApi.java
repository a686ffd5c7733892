package io.concertticket.concert.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import static io.restassured.RestAssured.given;

/**
 * Drives concert-service over real HTTP the way the gateway does: every call carries a hop token
 * ({@link Tokens}) as Bearer; operator calls go to /api/v1/admin with an operator's token.
 */
public final class ConcertApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    public record Fixture(long concertId, long scheduleId, Instant reservableFrom, Instant performanceAt) {
    }

    public record Reply(int status, JsonNode body) {
        public String type() {
            return body.path("type").asText();
        }
    }

    private ConcertApi() {
    }

    public static final String ADMIN = "/api/v1/admin";

    /** An account id no other test uses: tests share one database. */
    public static String newUser() {
        return "user-" + UUID.randomUUID();
    }

    /** A request to the operator API, as an operator. */
    public static RequestSpecification asOperator() {
        return given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON);
    }

    public static long createConcert() {
        return asOperator()
                .body("{\"title\":\"Test concert " + UUID.randomUUID() + "\",\"venue\":\"Test hall\"}")
                .post(ADMIN + "/concerts").then().statusCode(201).extract().jsonPath().getLong("concertId");
    }

    public static long createSchedule(long concertId, Instant reservableFrom, Instant performanceAt) {
        return asOperator()
                .body("{\"reservableFrom\":\"" + reservableFrom + "\",\"performanceAt\":\"" + performanceAt + "\"}")
                .post(ADMIN + "/concerts/" + concertId + "/schedules").then().statusCode(201)
                .extract().jsonPath().getLong("scheduleId");
    }

    public static void createSeats(long scheduleId, int count, long price) {
        asOperator().body("{\"seatCount\":" + count + ",\"price\":" + price + "}")
                .post(ADMIN + "/schedules/" + scheduleId + "/seats").then().statusCode(201);
    }

    /** A concert with one schedule, open for reservations since an hour ago, performed in a week. */
    public static Fixture openSchedule(int seats, long price) {
        Instant from = Instant.now().minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant at = Instant.now().plus(Duration.ofDays(7)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        long concertId = createConcert();
        long scheduleId = createSchedule(concertId, from, at);
        createSeats(scheduleId, seats, price);
        return new Fixture(concertId, scheduleId, from, at);
    }

    public static JsonNode scheduleOverview(long scheduleId) {
        Reply overview = get(ADMIN + "/schedules/" + scheduleId, Tokens.operator());
        if (overview.status() != 200) {
            throw new AssertionError("schedule overview: " + overview);
        }
        return overview.body();
    }

    /** {@code POST /api/v1/reservations} with {@code hopToken} as Bearer (null: none). */
    public static Reply hold(String hopToken, long scheduleId, int seatNumber) {
        return send(HttpRequest.newBuilder(uri("/api/v1/reservations"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"scheduleId\":" + scheduleId + ",\"seatNumber\":" + seatNumber + "}")),
                hopToken);
    }

    /** {@code GET path} with {@code hopToken} as Bearer (null: none). */
    public static Reply get(String path, String hopToken) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), hopToken);
    }

    public static Reply send(HttpRequest.Builder request, String hopToken) {
        if (hopToken != null) {
            request.header("Authorization", "Bearer " + hopToken);
        }
        request.timeout(Duration.ofSeconds(60));
        try {
            HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = r.body() == null || r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
            return new Reply(r.statusCode(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static URI uri(String path) {
        return URI.create("http://localhost:" + RestAssured.port + path);
    }

    /**
     * Runs {@code requests} calls on {@code threads} threads, all released at once by a start gate,
     * and returns the replies in call order.
     */
    public static List<Reply> race(int requests, int threads, IntFunction<Reply> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(Math.min(requests, threads));
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Reply>> futures = new ArrayList<>(requests);
            for (int i = 0; i < requests; i++) {
                int n = i;
                Callable<Reply> task = () -> {
                    ready.countDown();
                    go.await();
                    return call.apply(n);
                };
                futures.add(pool.submit(task));
            }
            ready.await();
            go.countDown();
            List<Reply> replies = new ArrayList<>(requests);
            for (Future<Reply> f : futures) {
                replies.add(f.get());
            }
            return replies;
        } finally {
            pool.shutdownNow();
        }
    }
}
