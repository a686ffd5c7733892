package io.concertticket.queue.api;

import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.queue.infrastructure.QueueReadModel;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.concertticket.queue.QueueTestSupport.freshConcertId;
import static io.concertticket.queue.QueueTestSupport.hopToken;
import static io.concertticket.queue.QueueTestSupport.poll;
import static io.concertticket.queue.QueueTestSupport.register;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "queue"))
class QueueTokenApiTest {

    @Inject
    QueueReadModel readModel;

    @Test
    void registrationCreatesAWaitingTokenAtTheBackOfTheLine() {
        long concert = freshConcertId();
        String first = register(concert, "alice").statusCode(201)
                .header("Location", startsWith("http"))
                .body("status", equalTo("WAITING"))
                .body("position", equalTo(1))
                .body("concertId", equalTo(concert))
                .body("ahead", equalTo(0))
                // nothing admitted yet: no wait can honestly be given
                .body("waitTimeKnown", equalTo(false))
                .body("estimatedWaitSeconds", nullValue())
                .body("admission", equalTo("RUNNING"))
                .body("pollAfterSeconds", greaterThan(0))
                .body("accessToken", nullValue())
                .extract().path("token");
        register(concert, "bob").statusCode(201).body("position", equalTo(2));

        poll(first, "alice").statusCode(200).body("token", equalTo(first)).body("status", equalTo("WAITING")).body("position", equalTo(1));
    }

    @Test
    void registeringAgainWhileWaitingReturnsTheSameTokenAndPlace() {
        long concert = freshConcertId();
        register(concert, "carol").statusCode(201);
        String token = register(concert, "dave").statusCode(201).extract().path("token");

        register(concert, "dave").statusCode(200).body("token", equalTo(token)).body("position", equalTo(2));
        register(concert, "erin").statusCode(201).body("position", equalTo(3));
    }

    @Test
    void eachConcertHasItsOwnWaitingRoom() {
        long one = freshConcertId();
        long two = freshConcertId();
        String inOne = register(one, "frank").statusCode(201).body("position", equalTo(1)).extract().path("token");
        register(one, "grace").statusCode(201).body("position", equalTo(2));
        String inTwo = register(two, "frank").statusCode(201).body("position", equalTo(1)).extract().path("token");

        assertThat(inTwo).isNotEqualTo(inOne);
        poll(inTwo, "frank").body("position", equalTo(1)).body("concertId", equalTo(two));
    }

    @Test
    void aPollAnsweredByAReplicaThatNeverSawTheTokenLoadsItOnce() throws Exception {
        long concert = freshConcertId();
        String token = register(concert, "heidi").statusCode(201).extract().path("token");
        readModel.refresh();
        // another replica registered it: this one only knows it from the database
        poll(token, "heidi").statusCode(200).body("status", equalTo("WAITING")).body("position", equalTo(1));
    }

    @Test
    void unknownTokenIs404Problem() {
        poll(UUID.randomUUID().toString(), "judy").statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("type", equalTo("https://concert-platform.example/problems/queue-token-not-found"));
    }

    @Test
    void malformedTokenIs400NamingTheField() {
        for (String bad : new String[]{"not-a-uuid", "1-1-1-1-1", "123", "%20"}) {
            poll(bad, "judy").statusCode(400).contentType("application/problem+json").body("field", equalTo("token"));
        }
    }

    @Test
    void aUserIdInTheBodyEqualToTheAccountIsAcceptedAndChangesNothing() {
        long concert = freshConcertId();
        String token = given().auth().oauth2(hopToken("kate")).contentType(ContentType.JSON)
                .body("{\"concertId\":" + concert + ",\"userId\":\"kate\"}")
                .when().post("/api/v1/queue/tokens").then().statusCode(201).extract().path("token");
        // the same account without the userId: the same place
        register(concert, "kate").statusCode(200).body("token", equalTo(token));
    }

    @Test
    void badRegistrationsAre400NamingTheFieldAndCreateNothing() {
        long concert = freshConcertId();
        expect400("{}", "concertId");
        expect400("{\"concertId\":null}", "concertId");
        expect400("{\"concertId\":0}", "concertId");
        expect400("{\"concertId\":-5}", "concertId");
        expect400("{\"concertId\":\"abc\"}", "concertId");
        expect400("{\"concertId\":\"12\"}", "concertId");
        expect400("{\"concertId\":1.5}", "concertId");
        expect400("{\"concertId\":99999999999999999999999}", "concertId");

        given().auth().oauth2(hopToken("u1")).contentType(ContentType.JSON).body("{not json").when().post("/api/v1/queue/tokens")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(hopToken("u1")).contentType(ContentType.JSON).when().post("/api/v1/queue/tokens")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("body"));

        // none of that opened the room: the first real registration is number 1
        register(concert, "ivan").statusCode(201).body("position", equalTo(1));
    }

    @Test
    void anAccountIdTheQueueCannotStoreIs400NotAServerError() {
        long concert = freshConcertId();
        for (String account : new String[]{"x".repeat(65), "robert'); DROP TABLE", "ü"}) {
            register(concert, account).statusCode(400).contentType("application/problem+json").body("field", equalTo("account"));
        }
        register(concert, "ivan").statusCode(201).body("position", equalTo(1));
    }

    @Test
    void publishesTheSigningKeyAsJwks() {
        given().when().get("/.well-known/jwks.json").then().statusCode(200)
                .contentType(ContentType.JSON)
                .body("keys.size()", equalTo(1))
                .body("keys[0].kty", equalTo("RSA"))
                .body("keys[0].use", equalTo("sig"))
                .body("keys[0].alg", equalTo("RS256"))
                .body("keys[0].kid", notNullValue())
                .body("keys[0].n", notNullValue())
                .body("keys[0].e", equalTo("AQAB"))
                .body("keys[0].d", nullValue())
                .body("keys[0].keySet()", hasItems("kty", "kid", "use", "alg", "n", "e"));
    }

    private static void expect400(String body, String field) {
        given().auth().oauth2(hopToken("u1")).contentType(ContentType.JSON).body(body).when().post("/api/v1/queue/tokens")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("field", equalTo(field));
    }
}
