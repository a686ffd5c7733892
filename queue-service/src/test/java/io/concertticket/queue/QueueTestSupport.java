package io.concertticket.queue;

import io.concertticket.testing.HopTokens;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;

/** Shared helpers: tests share one database, so each works in concerts (rooms) of its own. */
public final class QueueTestSupport {

    public static final String AUDIENCE = "queue-service";

    private QueueTestSupport() {
    }

    /** A concert id no other test uses. */
    public static long freshConcertId() {
        return ThreadLocalRandom.current().nextLong(1_000_000, Long.MAX_VALUE / 2);
    }

    /** A hop token for {@code account}, as the gateway signs it for queue-service. */
    public static String hopToken(String account) {
        return HopTokens.forAccount(account).audience(AUDIENCE).sign();
    }

    /** Joins {@code concertId}'s waiting room as {@code account} (no userId in the body: the caller is the user). */
    public static ValidatableResponse register(long concertId, String account) {
        return given().auth().oauth2(hopToken(account)).contentType(ContentType.JSON).body(Map.of("concertId", concertId))
                .when().post("/api/v1/queue/tokens").then();
    }

    /** Polls {@code token} as {@code account}. */
    public static ValidatableResponse poll(String token, String account) {
        return given().auth().oauth2(hopToken(account)).when().get("/api/v1/queue/tokens/" + token).then();
    }
}
