package io.concertticket.queue;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;

/** Shared helpers: tests share one database, so each works in concerts (rooms) of its own. */
public final class QueueTestSupport {

    private QueueTestSupport() {
    }

    /** A concert id no other test uses. */
    public static long freshConcertId() {
        return ThreadLocalRandom.current().nextLong(1_000_000, Long.MAX_VALUE / 2);
    }

    public static ValidatableResponse register(long concertId, String userId) {
        return given().contentType(ContentType.JSON).body(Map.of("concertId", concertId, "userId", userId))
                .when().post("/api/v1/queue/tokens").then();
    }

    public static ValidatableResponse poll(String token) {
        return given().when().get("/api/v1/queue/tokens/" + token).then();
    }
}
