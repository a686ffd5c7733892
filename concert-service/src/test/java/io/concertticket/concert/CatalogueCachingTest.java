package io.concertticket.concert;

import io.concertticket.concert.support.ConcertApi;
import io.concertticket.concert.support.ConcertApi.Fixture;
import io.concertticket.concert.support.Tokens;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The catalogue from memory, with ETag, Cache-Control and 304, against the real database. */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "concert"))
class CatalogueCachingTest {

    @Test
    void theConcertListIsPubliclyCacheableAndRevalidatesTo304UntilItChanges() {
        Response first = given().when().get("/api/v1/concerts?page=0&size=100");
        assertThat(first.statusCode()).isEqualTo(200);
        String etag = first.header("ETag");
        assertThat(etag).matches("\"[A-Za-z0-9_-]{22}\"");
        assertThat(first.header("Cache-Control")).contains("public").contains("max-age=5");

        Response same = given().header("If-None-Match", etag).when().get("/api/v1/concerts?page=0&size=100");
        assertThat(same.statusCode()).isEqualTo(304);
        assertThat(same.header("ETag")).isEqualTo(etag);
        assertThat(same.header("Cache-Control")).contains("max-age=5");
        assertThat(same.asByteArray()).isEmpty();
        // another page is another answer with its own tag
        assertThat(given().header("If-None-Match", etag).when().get("/api/v1/concerts?page=0&size=99").statusCode()).isEqualTo(200);

        // a new concert changes the list: within the cache's bound (2 s plus one read) the old tag no longer matches
        ConcertApi.createConcert();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            Response changed = given().header("If-None-Match", etag).when().get("/api/v1/concerts?page=0&size=100");
            assertThat(changed.statusCode()).isEqualTo(200);
            assertThat(changed.header("ETag")).isNotEqualTo(etag);
        });
    }

    @Test
    void aConcertsSchedulesRevalidateTo304ButOnlyForAnAdmittedCaller() {
        Fixture f = ConcertApi.openSchedule(3, 1_000);
        String buyer = Tokens.admitted(ConcertApi.newUser(), f.concertId());
        String path = "/api/v1/concerts/" + f.concertId() + "/schedules";

        Response first = given().auth().oauth2(buyer).when().get(path);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.jsonPath().getLong("schedules[0].remainingSeatCount")).isEqualTo(3);
        String etag = first.header("ETag");
        assertThat(etag).isNotBlank();
        assertThat(first.header("Cache-Control")).contains("private").contains("max-age=5");

        Response same = given().auth().oauth2(buyer).header("If-None-Match", etag).when().get(path);
        assertThat(same.statusCode()).isEqualTo(304);
        assertThat(same.header("ETag")).isEqualTo(etag);
        assertThat(same.asByteArray()).isEmpty();

        // the tag is no credential: a caller admitted elsewhere is refused, a current tag or not
        String elsewhere = Tokens.admitted(ConcertApi.newUser(), f.concertId() + 1_000_000);
        assertThat(given().auth().oauth2(elsewhere).header("If-None-Match", etag).when().get(path).statusCode()).isEqualTo(403);
        assertThat(given().header("If-None-Match", etag).when().get(path).statusCode()).isEqualTo(401);
        assertThat(given().auth().oauth2(Tokens.admitted(ConcertApi.newUser(), 987_654_321L))
                .when().get("/api/v1/concerts/987654321/schedules").statusCode()).isEqualTo(404);
    }
}
