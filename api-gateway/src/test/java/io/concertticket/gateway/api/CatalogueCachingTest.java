package io.concertticket.gateway.api;

import io.concertticket.gateway.support.FakeServices;
import io.concertticket.gateway.support.Tokens;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalogue's HTTP caching works through the gateway: a service's ETag and Cache-Control reach the client,
 * the client's If-None-Match reaches the service, and its 304 comes back as a 304 without a body. (The fake
 * concert service answers like concert-service: {@code "concerts-v1"} for the list, {@code "schedules-<id>"}.)
 */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
@WithTestResource(FakeServices.class)
class CatalogueCachingTest {

    @Test
    void thePublicConcertListKeepsItsEtagAndCacheControlAndRevalidatesTo304() {
        Response first = given().when().get("/api/v1/concerts");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.header("ETag")).isEqualTo("\"concerts-v1\"");
        assertThat(first.header("Cache-Control")).isEqualTo("public, max-age=5");

        Response again = given().header("If-None-Match", "\"concerts-v1\"").when().get("/api/v1/concerts");
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.header("ETag")).isEqualTo("\"concerts-v1\"");
        assertThat(again.header("Cache-Control")).isEqualTo("public, max-age=5");
        assertThat(again.asByteArray()).isEmpty();

        Response changed = given().header("If-None-Match", "\"concerts-v0\"").when().get("/api/v1/concerts");
        assertThat(changed.statusCode()).isEqualTo(200);
        // the echo shows what the service received: the client's validator, passed on unchanged
        assertThat(changed.jsonPath().getString("headers.if-none-match")).isEqualTo("\"concerts-v0\"");
    }

    @Test
    void aConcertsSchedulesRevalidateTo304ForTheAdmittedCallerOnly() {
        String account = "catalogue-" + UUID.randomUUID();
        String identity = Tokens.bearer(account);
        String admission = Tokens.admission(account, 42, UUID.randomUUID());

        Response first = given().header("Authorization", identity).header("Admission-Token", admission)
                .when().get("/api/v1/concerts/42/schedules");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.header("ETag")).isEqualTo("\"schedules-42\"");
        assertThat(first.header("Cache-Control")).isEqualTo("private, max-age=5");

        Response again = given().header("Authorization", identity).header("Admission-Token", admission)
                .header("If-None-Match", "\"schedules-42\"").when().get("/api/v1/concerts/42/schedules");
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.header("ETag")).isEqualTo("\"schedules-42\"");
        assertThat(again.asByteArray()).isEmpty();

        // a validator is no credential: without the admission the gateway refuses before any cache question
        Response withoutAdmission = given().header("Authorization", identity)
                .header("If-None-Match", "\"schedules-42\"").when().get("/api/v1/concerts/42/schedules");
        assertThat(withoutAdmission.statusCode()).isEqualTo(403);
    }
}
