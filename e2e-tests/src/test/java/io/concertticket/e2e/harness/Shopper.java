package io.concertticket.e2e.harness;

import com.fasterxml.jackson.databind.JsonNode;
import io.concertticket.e2e.harness.Api.Reply;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One signed-in user, doing what a real client does through the gateway's public API: join the
 * queue, poll as told until admitted, charge points, hold a seat, pay. Every call carries the
 * account's identity token ({@code Authorization: Bearer}); the sale routes (seats, holds, payments)
 * also the admission token of the poll ({@code Admission-Token}); wallet and own reservations need the
 * identity token alone. The retrying variants behave like a careful client during an outage: same
 * idempotency key on every attempt, and after an answer that got lost, look up what actually happened
 * before trying something else.
 */
public final class Shopper {

    private final Api api;
    private final Identity identity;
    /** The account ({@code sub} of the identity token): the platform's user id. */
    public final String userId;
    /** The account's user name in the realm, e.g. {@code main-1a2b3c4d-17}. */
    public final String name;
    public final long concertId;
    private volatile String queueToken;
    private volatile long position;
    private volatile String accessToken;
    private volatile long charged;

    public Shopper(Api api, Identity identity, long concertId) {
        this.api = api;
        this.identity = identity;
        this.userId = identity.subject();
        this.name = identity.username();
        this.concertId = concertId;
    }

    /** The same account shopping in another concert (its own place in line and admission there). */
    public Shopper forConcert(long otherConcertId) {
        return new Shopper(api, identity, otherConcertId);
    }

    /** A currently valid identity token of this account. */
    public String identityToken() {
        return identity.token();
    }

    /** Headers with the identity token only. */
    public Map<String, String> signedIn() {
        return Api.as(identity.token(), null);
    }

    /** Headers with the identity token and this shopper's admission token (sale routes). */
    public Map<String, String> admitted() {
        return Api.as(identity.token(), accessToken);
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

    /** Joins the concert's waiting room as the signed-in account; returns the answer (201 new token, 200 the existing one). */
    public Reply register() {
        Reply r = api.post("/api/v1/queue/tokens", signedIn(), Map.of("concertId", concertId));
        if (r.is(201) || r.is(200)) {
            queueToken = r.text("token");
            position = r.body().path("position").asLong();
            accessToken = r.text("accessToken");
        }
        return r;
    }

    public Reply poll() {
        return poll(queueToken);
    }

    /** Polls a queue token (normally one's own) as this account. */
    public Reply poll(String token) {
        return api.get("/api/v1/queue/tokens/" + token, signedIn());
    }

    /**
     * Polls like a client that stays on the sale page: an ACTIVE answer's {@code accessToken} becomes the admission
     * this shopper presents from now on (each poll may bring it signed anew, e.g. by another key after a rotation).
     */
    public Reply pollForAdmission() {
        Reply r = poll();
        if (r.is(200) && "ACTIVE".equals(r.text("status")) && r.text("accessToken") != null) {
            accessToken = r.text("accessToken");
        }
        return r;
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
                        throw new AssertionError(name + ": ACTIVE without an access token: " + last);
                    }
                    return accessToken;
                }
                if ("EXPIRED".equals(status)) {
                    throw new AssertionError(name + ": token expired while waiting: " + last);
                }
                long after = last.body().path("pollAfterSeconds").asLong(1);
                sleep(Duration.ofMillis(Math.max(200, Math.min(after, 5) * 1000)));
            } else {
                sleep(Duration.ofMillis(500));
            }
        }
        throw new AssertionError(name + " not admitted within " + max + "; last poll: " + last);
    }

    /** Registers and waits for admission. */
    public String join(Duration max) {
        Reply r = register();
        if (!(r.is(201) || r.is(200))) {
            throw new AssertionError(name + ": registration failed: " + r);
        }
        return awaitAdmission(max);
    }

    // ---- points ---------------------------------------------------------------------------------

    /** Charges points (retrying a lost answer with the same idempotency key); returns the new balance. */
    public long charge(long amount) {
        String key = UUID.randomUUID().toString();
        Reply r = retrying(Duration.ofSeconds(60), () -> api.post("/api/v1/users/" + userId + "/points/charge",
                Api.headers(signedIn(), Map.of("Idempotency-Key", key)), Map.of("amount", amount)));
        if (!r.is(200) && !r.is(201)) {
            throw new AssertionError(name + ": charge of " + amount + " failed: " + r);
        }
        charged += amount;
        return r.number("balance");
    }

    /** The wallet, by the account's id (identity token only). */
    public Reply balance() {
        return api.get("/api/v1/users/" + userId + "/points", signedIn());
    }

    /** The point history, newest first (identity token only). */
    public Reply history() {
        return api.get("/api/v1/users/" + userId + "/points/history?size=100", signedIn());
    }

    // ---- seats and reservations -----------------------------------------------------------------

    public Reply seats(long scheduleId) {
        return seatsWith(accessToken, scheduleId);
    }

    /** The seat list presenting the given admission token (e.g. one received earlier than the latest). */
    public Reply seatsWith(String admission, long scheduleId) {
        return api.get("/api/v1/schedules/" + scheduleId + "/seats", Api.as(identity.token(), admission));
    }

    public Reply hold(long scheduleId, int seatNumber) {
        return api.post("/api/v1/reservations", admitted(), Map.of("scheduleId", scheduleId, "seatNumber", seatNumber));
    }

    /** One of the account's own reservations (identity token only, also after the sale). */
    public Reply reservation(long reservationId) {
        return api.get("/api/v1/reservations/" + reservationId, signedIn());
    }

    /** The account's own reservations (identity token only). */
    public Reply myReservations() {
        return api.get("/api/v1/reservations?size=100", signedIn());
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
                Reply mine = retrying(Duration.between(Instant.now(), deadline), this::myReservations);
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

    /** Pays a reservation with this shopper's admission (one idempotency key per reservation, so a retry can never pay twice). */
    public Reply pay(long reservationId) {
        return payWith(accessToken, reservationId);
    }

    /** Pays a reservation presenting the given admission token (an attack presents another concert's). */
    public Reply payWith(String admission, long reservationId) {
        return api.post("/api/v1/payments", Api.headers(Api.as(identity.token(), admission),
                Map.of("Idempotency-Key", "pay-" + reservationId)), Map.of("reservationId", reservationId));
    }

    /**
     * Pays, retrying while the outcome is unknown: no answer, or a 5xx, among them the 503 with
     * Retry-After of a reservation payment-service does not know yet (its SeatHeld is late, e.g. while
     * Kafka is down). Any other answer is final.
     */
    public Reply payRetrying(long reservationId, Duration max) {
        return retrying(max, () -> pay(reservationId));
    }

    /** Retries a call while its outcome is unknown (no answer, 5xx), waiting as Retry-After says (at least 0.5 s). */
    public static Reply retrying(Duration max, java.util.function.Supplier<Reply> call) {
        Instant deadline = Instant.now().plus(max);
        while (true) {
            Reply r = call.get();
            if (!r.uncertain() || Instant.now().isAfter(deadline)) {
                return r;
            }
            long wait = 500;
            String retryAfter = r.header("Retry-After");
            if (retryAfter != null && retryAfter.matches("\\d{1,3}")) {
                wait = Math.max(wait, Long.parseLong(retryAfter) * 1000);
            }
            sleep(Duration.ofMillis(Math.min(wait, 5_000)));
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
        return name;
    }
}
