package io.concertticket.load;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * The steps of a simulated client: take a place in a concert's waiting room and wait its turn, then buy
 * (charge the wallet, choose a free seat, pay), each written once for every simulation.
 */
public final class QueueSteps {

    private QueueSteps() {
    }

    /**
     * The gateway, as real clients see it. Each virtual user names its device with its own
     * {@code X-Forwarded-For} address (an IPv6 documentation address, never a real host; see
     * {@link LoadAccounts#clientAddress}), which counts with {@code GATEWAY_RATE_LIMIT_TRUSTED_PROXIES=1}
     * (the load generator being the one proxy). The rate limits themselves are per signed-in account.
     * Warm-up on the public concert list: the gateway's health endpoints may be on its management port.
     */
    public static HttpProtocolBuilder gateway() {
        return http.baseUrl(LoadSettings.baseUrl())
                .warmUp(LoadSettings.baseUrl() + "/api/v1/concerts")
                .acceptHeader("application/json")
                .contentTypeHeader("application/json")
                .header("X-Forwarded-For", "#{clientIp}")
                .userAgentHeader("concert-load-test");
    }

    /**
     * The gateway with one connection pool for all virtual users, as behind a load balancer: a surge of
     * tens of thousands of waiting users would otherwise hold as many idle keep-alive connections
     * (beyond the file-descriptor limit of this machine), which measures the kernel, not the platform.
     */
    public static HttpProtocolBuilder gatewaySharedConnections() {
        return gateway().shareConnections();
    }

    /**
     * Signs the virtual user's account in again (password grant on {@code concert-cli}) when its identity
     * token has less than a minute left: tokens live 15 min in the local realm, and a run (plus the sign-in
     * of all accounts before it) can outlast that. Recorded as its own request, {@code re-sign-in}; with the
     * default run lengths it never happens.
     */
    public static ChainBuilder freshIdentity() {
        return doIf(session -> session.getLong("identityExpires") - System.currentTimeMillis() / 1000 < 60)
                .then(exec(http("re-sign-in")
                        .post(LoadSettings.issuer() + "/protocol/openid-connect/token")
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .body(StringBody("grant_type=password&client_id=concert-cli&username=#{username}&password=#{password}"))
                        .check(status().is(200), jsonPath("$.access_token").saveAs("identity")))
                        .exec(session -> session.isFailed() ? session
                                : session.set("identityExpires", LoadAccounts.expiresAt(session.getString("identity")))));
    }

    /**
     * POST /api/v1/queue/tokens for {@code #{concertId}} as the signed-in account (body {@code {concertId}}
     * only): a place new to this account and concert gets 201. Told to wait (429, 503), it comes back as
     * {@code Retry-After} says ({@link RetryAfter}), and so does every poll.
     */
    public static ChainBuilder register() {
        return exec(freshIdentity())
                .exec(RetryAfter.send("register", http("register")
                                .post("/api/v1/queue/tokens")
                                .header("Authorization", "Bearer #{identity}")
                                .body(StringBody("{\"concertId\":#{concertId}}")),
                        // 200: a retried registration whose first attempt had gone through returns that place
                        status().in(200, 201),
                        jsonPath("$.token").saveAs("token"),
                        jsonPath("$.status").in("WAITING", "ACTIVE").saveAs("queueStatus"),
                        jsonPath("$.pollAfterSeconds").ofLong().optional().saveAs("pollAfter"),
                        jsonPath("$.accessToken").optional().saveAs("admission")));
    }

    /**
     * Polls at the interval the API asks for ({@code pollAfterSeconds}, 1 s when it gives none) until
     * the token is ACTIVE (then its {@code accessToken}, the admission token, is {@code #{admission}}), a
     * request failed, or {@code maxWait} has passed. Does nothing after a failed registration.
     */
    public static ChainBuilder pollUntilActive(Duration maxWait) {
        return exec(session -> session.set("pollDeadline", System.nanoTime() + maxWait.toNanos()))
                .asLongAs(session -> !session.isFailed() && !isActive(session)
                        && System.nanoTime() < session.getLong("pollDeadline"))
                .on(pause(QueueSteps::pollAfter)
                        .exec(freshIdentity())
                        .exec(RetryAfter.send("poll", http("poll")
                                        .get("/api/v1/queue/tokens/#{token}")
                                        .header("Authorization", "Bearer #{identity}"),
                                status().is(200),
                                jsonPath("$.status").in("WAITING", "ACTIVE").saveAs("queueStatus"),
                                jsonPath("$.pollAfterSeconds").ofLong().optional().saveAs("pollAfter"),
                                jsonPath("$.accessToken").optional().saveAs("admission"))));
    }

    public static boolean isActive(Session session) {
        return !session.isFailed() && "ACTIVE".equals(session.getString("queueStatus")) && session.contains("admission");
    }

    private static Duration pollAfter(Session session) {
        long seconds = session.contains("pollAfter") ? session.getLong("pollAfter") : 1L;
        return Duration.ofSeconds(Math.max(1L, seconds));
    }

    /**
     * Charges {@code amount} points to the signed-in account's wallet ({@code POST /api/v1/users/#{sub}/points/charge})
     * under the {@code Idempotency-Key} {@code idempotencyKey} (Gatling EL, e.g. {@code "charge-" + run + "-#{sub}"}:
     * accounts are reused across runs), retried as {@code Retry-After} says. The user stops here unless it is 200.
     */
    public static ChainBuilder charge(long amount, String idempotencyKey) {
        return exec(freshIdentity())
                .exec(RetryAfter.send("charge", http("charge")
                                .post("/api/v1/users/#{sub}/points/charge")
                                .header("Authorization", "Bearer #{identity}")
                                .header("Idempotency-Key", idempotencyKey)
                                .body(StringBody("{\"amount\":" + amount + "}")),
                        status().is(200)))
                .exitHereIfFailed();
    }

    /**
     * Lists the seats of {@code #{scheduleId}} with the admission token and picks a free one as
     * {@code #{seatNumber}} ({@link #pickFreeSeat}: {@code soldOut} when there is none). The user stops here if
     * the list fails.
     */
    public static ChainBuilder chooseFreeSeat() {
        return exec(session -> session.remove("freeSeats"))
                .exec(freshIdentity())
                .exec(RetryAfter.send("list seats", http("list seats")
                                .get("/api/v1/schedules/#{scheduleId}/seats")
                                .header("Authorization", "Bearer #{identity}")
                                .header("Admission-Token", "#{admission}"),
                        status().is(200),
                        jsonPath("$.seats[?(@.available == true)].seatNumber").ofInt().findAll().optional().saveAs("freeSeats")))
                .exitHereIfFailed()
                .exec(QueueSteps::pickFreeSeat);
    }

    /**
     * {@code POST /api/v1/reservations}: a hold on seat {@code #{seatNumber}} of {@code #{scheduleId}} with the admission
     * token. Only the request: the caller adds its checks and decides whether a refusal may be repeated
     * ({@link RetryAfter}: not when others race for the seat).
     */
    public static HttpRequestActionBuilder hold() {
        return http("hold")
                .post("/api/v1/reservations")
                .header("Authorization", "Bearer #{identity}")
                .header("Admission-Token", "#{admission}")
                .body(StringBody("{\"scheduleId\":#{scheduleId},\"seatNumber\":#{seatNumber}}"));
    }

    /**
     * Pays {@code #{reservationId}} with the admission token ({@code POST /api/v1/payments}) under the
     * {@code Idempotency-Key} {@code idempotencyKey} (Gatling EL), retried as {@code Retry-After} says: a payment
     * just after its hold may be answered 503 "reservation not known yet". The user stops here unless it is
     * 200 COMPLETED.
     */
    public static ChainBuilder pay(String idempotencyKey) {
        return exec(freshIdentity())
                .exec(RetryAfter.send("pay", http("pay")
                                .post("/api/v1/payments")
                                .header("Authorization", "Bearer #{identity}")
                                .header("Admission-Token", "#{admission}")
                                .header("Idempotency-Key", idempotencyKey)
                                .body(StringBody("{\"reservationId\":#{reservationId}}")),
                        status().is(200), jsonPath("$.status").is("COMPLETED")))
                .exitHereIfFailed();
    }

    /** Picks one of the seat numbers saved as {@code freeSeats}, or marks the schedule sold out. */
    private static Session pickFreeSeat(Session session) {
        List<Object> free = session.contains("freeSeats") ? session.getList("freeSeats") : List.of();
        if (free.isEmpty()) {
            return session.set("soldOut", true);
        }
        Object seat = free.get(ThreadLocalRandom.current().nextInt(free.size()));
        return session.set("seatNumber", seat).remove("freeSeats");
    }
}
