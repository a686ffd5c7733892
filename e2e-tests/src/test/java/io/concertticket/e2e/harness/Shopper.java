package io.concertticket.e2e.harness;

import com.fasterxml.jackson.databind.JsonNode;
import io.concertticket.e2e.harness.Api.Reply;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One simulated user, doing what a real client does through the gateway's public API: join the
 * queue, poll as told until admitted, charge points, hold a seat, pay. The retrying variants behave
 * like a careful client during an outage: same idempotency key on every attempt, and after an answer
 * that got lost, look up what actually happened before trying something else.
 */
public final class Shopper {

    private final Api api;
    public final String userId;
    public final long concertId;
    private volatile String queueToken;
    private volatile long position;
    private volatile String accessToken;
    private volatile long charged;

    public Shopper(Api api, String userId, long concertId) {
        this.api = api;
        this.userId = userId;
        this.concertId = concertId;
    }

    public String queueToken() {
        return queueToken;
    }

    public long position() {
        return position;
    }

    public String accessToken() {
        return accessToken;
    }

    /** Points charged by this shopper so far. */
    public long charged() {
        return charged;
    }

    // ---- queue ----------------------------------------------------------------------------------

    /** Joins the concert's waiting room; returns the answer (201 new token, 200 the existing one). */
    public Reply register() {
        Reply r = api.post("/api/v1/queue/tokens", null, Map.of("concertId", concertId, "userId", userId));
        if (r.is(201) || r.is(200)) {
            queueToken = r.text("token");
            position = r.body().path("position").asLong();
            accessToken = r.text("accessToken");
        }
        return r;
    }

    public Reply poll() {
        return api.get("/api/v1/queue/tokens/" + queueToken, null);
    }

    /** Polls as the service says (pollAfterSeconds) until ACTIVE; returns the access token. */
    public String awaitAdmission(Duration max) {
        Instant deadline = Instant.now().plus(max);
        Reply last = null;
        while (Instant.now().isBefore(deadline)) {
            last = poll();
            if (last.is(200)) {
                String status = last.text("status");
                if ("ACTIVE".equals(status)) {
                    accessToken = last.text("accessToken");
                    if (accessToken == null) {
                        throw new AssertionError(userId + ": ACTIVE without an access token: " + last);
                    }
                    return accessToken;
                }
                if ("EXPIRED".equals(status)) {
                    throw new AssertionError(userId + ": token expired while waiting: " + last);
                }
                long after = last.body().path("pollAfterSeconds").asLong(1);
                sleep(Duration.ofMillis(Math.max(200, Math.min(after, 5) * 1000)));
            } else {
                sleep(Duration.ofMillis(500));
            }
        }
        throw new AssertionError(userId + " not admitted within " + max + "; last poll: " + last);
    }

    /** Registers and waits for admission. */
    public String join(Duration max) {
        Reply r = register();
        if (!(r.is(201) || r.is(200))) {
            throw new AssertionError(userId + ": registration failed: " + r);
        }
        return awaitAdmission(max);
    }

    // ---- points ---------------------------------------------------------------------------------

    /** Charges points (retrying a lost answer with the same idempotency key); returns the new balance. */
    public long charge(long amount) {
        String key = UUID.randomUUID().toString();
        Reply r = retrying(Duration.ofSeconds(60), () -> api.post("/api/v1/users/" + userId + "/points/charge", accessToken,
                Map.of("amount", amount), Map.of("Idempotency-Key", key)), false);
        if (!r.is(200) && !r.is(201)) {
            throw new AssertionError(userId + ": charge of " + amount + " failed: " + r);
        }
        charged += amount;
        return r.number("balance");
    }

    public Reply balance() {
        return api.get("/api/v1/users/" + userId + "/points", accessToken);
    }

    // ---- seats and reservations -----------------------------------------------------------------

    public Reply seats(long scheduleId) {
        return api.get("/api/v1/schedules/" + scheduleId + "/seats", accessToken);
    }

    public Reply hold(long scheduleId, int seatNumber) {
        return api.post("/api/v1/reservations", accessToken, Map.of("scheduleId", scheduleId, "seatNumber", seatNumber));
    }

    public Reply reservation(long reservationId) {
        return api.get("/api/v1/reservations/" + reservationId, accessToken);
    }

    public Reply myReservations() {
        return api.get("/api/v1/reservations?size=100", accessToken);
    }

    /**
     * Holds a seat like a client facing an unreliable network: retries while there is no answer or
     * a 5xx, and when a retry is refused (409) after such a lost answer, asks for its own reservations
     * to learn whether the lost attempt had in fact won. Returns the 201 reply (possibly synthesised
     * from the lookup) or the final refusal.
     */
    public Reply holdRetrying(long scheduleId, int seatNumber, Duration max) {
        Instant deadline = Instant.now().plus(max);
        boolean lostAnswer = false;
        Reply r;
        while (true) {
            r = hold(scheduleId, seatNumber);
            if (r.is(201)) {
                return r;
            }
            if (!r.uncertain() && lostAnswer) {
                Reply mine = retrying(Duration.between(Instant.now(), deadline), this::myReservations, false);
                for (JsonNode item : mine.body().path("items")) {
                    if (item.path("scheduleId").asLong() == scheduleId && item.path("seatNumber").asInt() == seatNumber
                            && "BOOKED".equals(item.path("status").asText())) {
                        return new Reply(201, item, Map.of(), item.toString());
                    }
                }
                return r;
            }
            if (!r.uncertain() || Instant.now().isAfter(deadline)) {
                return r;
            }
            lostAnswer = true;
            sleep(Duration.ofMillis(500));
        }
    }

    /** Pays a reservation (one idempotency key per reservation, so a retry can never pay twice). */
    public Reply pay(long reservationId) {
        return api.post("/api/v1/payments", accessToken, Map.of("reservationId", reservationId),
                Map.of("Idempotency-Key", "pay-" + reservationId));
    }

    /**
     * Pays, retrying while the outcome is unknown or the reservation is not yet known to
     * payment-service (404: its SeatHeld has not arrived, e.g. while Kafka is down).
     */
    public Reply payRetrying(long reservationId, Duration max) {
        return retrying(max, () -> pay(reservationId), true);
    }

    private static Reply retrying(Duration max, java.util.function.Supplier<Reply> call, boolean retryNotFound) {
        Instant deadline = Instant.now().plus(max);
        while (true) {
            Reply r = call.get();
            boolean again = r.uncertain() || (retryNotFound && r.is(404));
            if (!again || Instant.now().isAfter(deadline)) {
                return r;
            }
            sleep(Duration.ofMillis(500));
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return userId;
    }
}
