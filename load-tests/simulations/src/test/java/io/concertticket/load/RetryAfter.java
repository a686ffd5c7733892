package io.concertticket.load;

import io.gatling.http.response.Response;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.CheckBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * A client that does what a 429 or 503 asks: it waits the seconds of {@code Retry-After} (1 s without
 * one) plus a random fraction of a second, so that refused clients do not all come back in the same
 * instant, and asks again, up to {@code load.maxAttempts} times (default 8). Only the last refusal counts
 * as a failed request; the ones before are answers the client was meant to act on, and are counted by
 * request name and status for the summary line each simulation prints ({@link #summary}).
 *
 * <p>Only for requests that are safe to repeat: reads, registration (a second one returns the same place)
 * and requests with an {@code Idempotency-Key}. A hold for a seat others race for is not repeated (SeatRush,
 * FullPurchase): the answer to a retried hold could be a 409 for the caller's own first attempt, which the
 * caller could not tell from losing the race. QueueSurge repeats its holds: there each user's seat is its own,
 * so a 409 can only be its own attempt, and the user looks it up among its reservations.
 */
public final class RetryAfter {

    static final int MAX_ATTEMPTS = LoadSettings.intProperty("load.maxAttempts", 8);
    private static final Map<String, LongAdder> TOLD_TO_WAIT = new ConcurrentHashMap<>();

    private RetryAfter() {
    }

    /**
     * Sends {@code request} until it is answered with something other than 429 or 503 (then
     * {@code checks} decide whether it succeeded), or the attempts are used up (then the refusal fails
     * {@code checks}).
     */
    public static ChainBuilder send(String name, HttpRequestActionBuilder request, CheckBuilder... checks) {
        String attempt = "retryAfter.attempt";
        String again = "retryAfter.again";
        return exec(session -> session.set(attempt, 0).set(again, true))
                .exec(asLongAs(session -> !session.isFailed() && session.getBoolean(again))
                        .on(exec(session -> session.set(attempt, session.getInt(attempt) + 1).remove("retryAfter"))
                                .exec(request
                                        .check(status().saveAs("retryAfter.status"),
                                                header("Retry-After").optional().saveAs("retryAfter"))
                                        .checkIf((Response response, Session session) -> !toldToWait(response, session, attempt))
                                        .then(checks))
                                .exec(session -> {
                                    int code = session.getInt("retryAfter.status");
                                    boolean wait = isRefusal(code) && session.getInt(attempt) < MAX_ATTEMPTS;
                                    if (wait) {
                                        TOLD_TO_WAIT.computeIfAbsent(name + " " + code, k -> new LongAdder()).increment();
                                    }
                                    return session.set(again, wait);
                                })
                                .doIf(session -> session.getBoolean(again))
                                .then(pause(RetryAfter::delay))));
    }

    /** One line per request name and status that clients were told to retry, e.g. {@code poll 503 × 12}; "none" otherwise. */
    public static String summary() {
        Map<String, Long> sorted = new TreeMap<>();
        TOLD_TO_WAIT.forEach((k, v) -> sorted.put(k, v.sum()));
        return sorted.isEmpty() ? "none" : String.join(", ", sorted.entrySet().stream()
                .map(e -> e.getKey() + " × " + e.getValue()).toList());
    }

    private static boolean toldToWait(Response response, Session session, String attempt) {
        return isRefusal(response.status().code()) && session.getInt(attempt) < MAX_ATTEMPTS;
    }

    private static boolean isRefusal(int code) {
        return code == 429 || code == 503;
    }

    private static Duration delay(Session session) {
        long seconds = 1;
        if (session.contains("retryAfter")) {
            try {
                seconds = Math.max(1, Long.parseLong(session.getString("retryAfter").trim()));
            } catch (NumberFormatException httpDate) {
                // an HTTP date: the platform sends seconds, so a date is not expected; wait the minimum
            }
        }
        return Duration.ofSeconds(seconds).plusMillis(ThreadLocalRandom.current().nextLong(500));
    }
}
