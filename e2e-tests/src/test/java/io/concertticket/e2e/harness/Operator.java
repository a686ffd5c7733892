package io.concertticket.e2e.harness;

import io.concertticket.e2e.harness.Api.Reply;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The operator setting up a sale through concert-service's /admin API, called on the service itself
 * (inside the cluster; the gateway never routes /admin).
 */
public final class Operator {

    /** A concert with one reservable schedule and its seats. */
    public record Sale(long concertId, long scheduleId, Map<Integer, Long> priceBySeat) {
        public long price(int seatNumber) {
            return priceBySeat.get(seatNumber);
        }
    }

    private final Api admin;

    public Operator(String concertServiceUrl) {
        this.admin = new Api(concertServiceUrl);
    }

    /** Seats 1..n; seat i costs {@code basePrice + 10 * i}, so every amount in the checks is distinct. */
    public Sale openSale(String title, int seats, long basePrice) {
        Reply concert = expect(201, admin.post("/admin/concerts", null, Map.of("title", title, "venue", "E2E Hall")));
        long concertId = concert.number("concertId");
        Instant now = Instant.now();
        Reply schedule = expect(201, admin.post("/admin/concerts/" + concertId + "/schedules", null, Map.of(
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
        expect(201, admin.post("/admin/schedules/" + scheduleId + "/seats", null, Map.of("seats", specs)));
        return new Sale(concertId, scheduleId, Map.copyOf(prices));
    }

    private static Reply expect(int status, Reply r) {
        if (!r.is(status)) {
            throw new AssertionError("operator call failed, expected " + status + ": " + r);
        }
        return r;
    }
}
