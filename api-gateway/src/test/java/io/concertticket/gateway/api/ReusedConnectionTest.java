package io.concertticket.gateway.api;

import io.concertticket.gateway.support.FakeServices;
import io.concertticket.gateway.support.Fakes;
import io.concertticket.gateway.support.Tokens;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * A service may close a pooled keep-alive connection just as the gateway sends a request down it (its idle
 * timeout fires, it restarts): the request then fails before a byte of an answer arrived. An idempotent request
 * is sent once more on a new connection instead of answering 503; anything else is not repeated. The fakes are
 * real HTTP servers; {@code close-once} makes one close the connection unanswered the first time (FakeServices).
 */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
@WithTestResource(FakeServices.class)
class ReusedConnectionTest {

    @Test
    void aGetWhoseConnectionTheServiceClosesUnansweredIsRetriedOnceOnANewConnection() {
        given().when().get("/api/v1/concerts").then().statusCode(200);      // a pooled connection to reuse
        String query = "close-once=" + UUID.randomUUID();

        given().when().get("/api/v1/concerts?" + query)
                .then().statusCode(200)
                .header("X-Fake-Connection-Request", "1")                   // the retry's connection was a new one
                .body("uri", equalTo("/api/v1/concerts?" + query));

        assertThat(Fakes.seenBy("concert")).filteredOn(uri -> uri.contains(query)).hasSize(2);
    }

    @Test
    void aPostWhoseConnectionTheServiceClosesIsNotRepeated() {
        String account = "closing-" + UUID.randomUUID();
        String query = "close-once=" + UUID.randomUUID();

        given().header("Authorization", Tokens.bearer(account))
                .header("Admission-Token", Tokens.admission(account, 42, UUID.randomUUID()))
                .contentType("application/json").body("{}")
                .when().post("/api/v1/payments?" + query)
                .then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", "1")
                .body("service", equalTo("payment-service"));

        assertThat(Fakes.seenBy("payment")).filteredOn(uri -> uri.contains(query)).hasSize(1);
    }
}
