package io.concertticket.e2e.harness;

import com.fasterxml.jackson.databind.JsonNode;
import io.concertticket.e2e.harness.Api.Reply;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;

import static org.awaitility.Awaitility.await;

/**
 * The operator setting up a sale through the operator API, {@code /api/v1/admin/**}, through the gateway
 * like any client, signed in as an account with the {@code operator} role ({@code operator1} of the local
 * realm).
 */
public final class Operator {

    public static final String USERNAME = "operator1";
    public static final String PASSWORD = "operator1";

    /** A concert with one reservable schedule and its seats. */
    public record Sale(long concertId, long scheduleId, Map<Integer, Long> priceBySeat) {
        public long price(int seatNumber) {
            return priceBySeat.get(seatNumber);
        }
    }

    private final Api api;
    private final Identity identity;

    Operator(Api gateway, Identity identity) {
        this.api = gateway;
        this.identity = identity;
    }

    /** The operator's account (the identity token's {@code sub}): what the record of sale changes names. */
    public String accountId() {
        return identity.subject();
    }

    /** The operator's identity token. */
    public String identityToken() {
        return identity.token();
    }

    /**
     * Seats 1..n; seat i costs {@code basePrice + 10 * i}, so every amount in the checks is distinct. The sale
     * opens at once (no sale fields), and this returns once queue-service has applied its announcement (its
     * public status says OPEN), so buyers can register right away.
     */
    public Sale openSale(String title, int seats, long basePrice) {
        Reply concert = expect(201, createConcert(title));
        long concertId = concert.number("concertId");
        awaitSaleState(concertId, "OPEN");
        Instant now = Instant.now();
        Reply schedule = expect(201, api.post("/api/v1/admin/concerts/" + concertId + "/schedules", signedIn(), Map.of(
                "performanceAt", now.plus(Duration.ofDays(30)).toString(),
                "reservableFrom", now.minus(Duration.ofHours(1)).toString())));
        long scheduleId = schedule.number("scheduleId");
        List<Map<String, Object>> specs = new ArrayList<>();
        Map<Integer, Long> prices = new java.util.TreeMap<>();
        for (int i = 1; i <= seats; i++) {
            long price = basePrice + 10L * i;
            specs.add(Map.of("seatNumber", i, "price", price));
            prices.put(i, price);
        }
        expect(201, api.post("/api/v1/admin/schedules/" + scheduleId + "/seats", signedIn(), Map.of("seats", specs)));
        awaitListed(concertId);
        return new Sale(concertId, scheduleId, Map.copyOf(prices));
    }

    /**
     * Waits until the public concert list names the concert: concert-service serves the catalogue from a cache a
     * couple of seconds old at most, so a page opened right after the operator's call could still miss it (and a
     * browser keeps that list for its {@code max-age}).
     */
    private void awaitListed(long concertId) {
        awaitPublic("/api/v1/concerts?size=100", Duration.ofSeconds(30), "concert " + concertId + " in the public concert list",
                r -> r.is(200) && StreamSupport.stream(r.body().path("items").spliterator(), false)
                        .anyMatch(item -> item.path("concertId").asLong() == concertId));
    }

    /** {@code POST /api/v1/admin/concerts}, the answer as it is. */
    public Reply createConcert(String title) {
        return api.post("/api/v1/admin/concerts", signedIn(), Map.of("title", title, "venue", "E2E Hall"));
    }

    /**
     * Waits until the sale's public status ({@code GET /api/v1/queue/sales/{id}}, no sign-in) is in {@code state}:
     * queue-service learns of a concert's sale from concert-service's SaleAnnounced, normally well under a second
     * after the operator's call (404 until then).
     */
    public Reply awaitSaleState(long concertId, String state) {
        return awaitSaleStatus(concertId, "state " + state, status -> state.equals(status.path("state").asText()));
    }

    /** Waits until the sale's public status satisfies {@code wanted} ({@code what} names it), for up to 60 s; returns that answer. */
    public Reply awaitSaleStatus(long concertId, String what, Predicate<JsonNode> wanted) {
        return awaitPublic("/api/v1/queue/sales/" + concertId, Duration.ofSeconds(60), "the sale of concert " + concertId + ": " + what,
                r -> r.is(200) && wanted.test(r.body()));
    }

    /**
     * Asks {@code GET path} without signing in every 100 ms until the answer is {@code wanted}; returns that answer.
     * Fails after {@code max}, naming {@code what} was awaited and the last answer.
     */
    private Reply awaitPublic(String path, Duration max, String what, Predicate<Reply> wanted) {
        return await(what).atMost(max).pollInterval(Duration.ofMillis(100))
                .until(() -> api.get(path, Api.anonymous()), wanted);
    }

    /** {@code GET /api/v1/admin/schedules/{id}}: the schedule with its seat counts by status ({@code seatsByStatus}). */
    public Reply schedule(long scheduleId) {
        return api.get("/api/v1/admin/schedules/" + scheduleId, signedIn());
    }

    /** The number of seats of a schedule in a status (AVAILABLE, HELD, DONE), from the operator's view. */
    public long seatsIn(long scheduleId, String status) {
        Reply r = expect(200, schedule(scheduleId));
        return r.body().path("seatsByStatus").path(status).asLong(0);
    }

    private Map<String, String> signedIn() {
        return Api.as(identity.token(), null);
    }

    private static Reply expect(int status, Reply r) {
        if (!r.is(status)) {
            throw new AssertionError("operator call failed, expected " + status + ": " + r);
        }
        return r;
    }
}
