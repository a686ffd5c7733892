package io.concertticket.load;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/** What every simulated client does first: take a place in a concert's waiting room and wait its turn. */
public final class QueueSteps {

    private QueueSteps() {
    }

    /**
     * The gateway, as real clients see it. Each virtual user names itself with its own
     * {@code X-Forwarded-For} address (an IPv6 documentation address, never a real host), so that with
     * {@code GATEWAY_RATE_LIMIT_TRUST_FORWARDED_FOR=true} the per-client rate limit stays on and
     * applies per simulated client, as it would behind a load balancer.
     */
    public static HttpProtocolBuilder gateway() {
        return http.baseUrl(LoadSettings.baseUrl())
                .warmUp(LoadSettings.baseUrl() + "/q/health/live")
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

    /** Endless distinct users ({@code userId}, {@code clientIp}) of one run. */
    public static Iterator<Map<String, Object>> users(String prefix) {
        AtomicLong next = new AtomicLong();
        String run = LoadSettings.runId();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Map<String, Object> next() {
                long i = next.incrementAndGet();
                return Map.of("userId", prefix + "-" + run + "-" + i,
                        "userIndex", i,
                        "clientIp", "2001:db8::" + Long.toHexString(i >>> 16) + ":" + Long.toHexString(i & 0xffff));
            }
        };
    }

    /** POST /api/v1/queue/tokens for {@code #{concertId}}: a new user gets 201 and a place in line. */
    public static ChainBuilder register() {
        return exec(http("register")
                .post("/api/v1/queue/tokens")
                .body(StringBody("{\"concertId\":#{concertId},\"userId\":\"#{userId}\"}"))
                .check(status().is(201),
                        jsonPath("$.token").saveAs("token"),
                        jsonPath("$.status").is("WAITING").saveAs("queueStatus"),
                        jsonPath("$.pollAfterSeconds").ofLong().optional().saveAs("pollAfter")));
    }

    /**
     * Polls at the interval the API asks for ({@code pollAfterSeconds}, 1 s when it gives none) until
     * the token is ACTIVE (then {@code #{accessToken}} is set), a request failed, or {@code maxWait} has
     * passed. Does nothing after a failed registration.
     */
    public static ChainBuilder pollUntilActive(Duration maxWait) {
        return exec(session -> session.set("pollDeadline", System.nanoTime() + maxWait.toNanos()))
                .asLongAs(session -> !session.isFailed() && !isActive(session)
                        && System.nanoTime() < session.getLong("pollDeadline"))
                .on(pause(QueueSteps::pollAfter)
                        .exec(http("poll")
                                .get("/api/v1/queue/tokens/#{token}")
                                .check(status().is(200),
                                        jsonPath("$.status").in("WAITING", "ACTIVE").saveAs("queueStatus"),
                                        jsonPath("$.pollAfterSeconds").ofLong().optional().saveAs("pollAfter"),
                                        jsonPath("$.accessToken").optional().saveAs("accessToken"))));
    }

    public static boolean isActive(Session session) {
        return !session.isFailed() && "ACTIVE".equals(session.getString("queueStatus")) && session.contains("accessToken");
    }

    private static Duration pollAfter(Session session) {
        long seconds = session.contains("pollAfter") ? session.getLong("pollAfter") : 1L;
        return Duration.ofSeconds(Math.max(1L, seconds));
    }

    /** Picks one of the seat numbers saved as {@code freeSeats}, or marks the schedule sold out. */
    public static Session pickFreeSeat(Session session) {
        List<Object> free = session.contains("freeSeats") ? session.getList("freeSeats") : List.of();
        if (free.isEmpty()) {
            return session.set("soldOut", true);
        }
        Object seat = free.get(ThreadLocalRandom.current().nextInt(free.size()));
        return session.set("seatNumber", seat).remove("freeSeats");
    }
}
