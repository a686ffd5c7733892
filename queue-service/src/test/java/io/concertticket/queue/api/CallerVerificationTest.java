package io.concertticket.queue.api;

import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.queue.ConcurrentHttp;
import io.concertticket.queue.ConcurrentHttp.Result;
import io.concertticket.queue.application.AdmitNextBatch;
import io.concertticket.queue.infrastructure.QueueReadModel;
import io.concertticket.testing.HopTokens;
import io.concertticket.testing.Sql;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.concertticket.queue.QueueTestSupport.AUDIENCE;
import static io.concertticket.queue.QueueTestSupport.freshConcertId;
import static io.concertticket.queue.QueueTestSupport.hopToken;
import static io.concertticket.queue.QueueTestSupport.poll;
import static io.concertticket.queue.QueueTestSupport.register;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.containsString;

/**
 * queue-service as an attacker meets it: straight on its port, around the gateway. Only a hop token the
 * gateway signed for queue-service names the caller, and the caller acts only on its own place in line.
 * Each of these attacks succeeded before the service verified its callers.
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "queue"))
class CallerVerificationTest {

    private static final String UNAUTHENTICATED = "https://concert-platform.example/problems/unauthenticated";

    @TestHTTPResource("/api/v1/queue/tokens")
    URI tokens;
    @Inject
    AdmitNextBatch admission;
    @Inject
    QueueReadModel readModel;
    @Inject
    Sql sql;

    private long placesIn(long concert) {
        return sql.queryLong("SELECT count(*) FROM queue_token WHERE concert_id = ?", concert);
    }

    @Test
    void aDirectCallWithOnlyAnXUserIdHeaderIs401AndCreatesNothing() {
        long concert = freshConcertId();
        given().header("X-User-Id", "alice").contentType(ContentType.JSON)
                .body(Map.of("concertId", concert, "userId", "alice"))
                .when().post("/api/v1/queue/tokens")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("type", equalTo(UNAUTHENTICATED));
        assertThat(placesIn(concert)).isZero();
        assertThat(sql.queryLong("SELECT count(*) FROM waiting_room WHERE concert_id = ?", concert)).isZero();

        // nor does the owner's header open the owner's place
        String token = register(concert, "alice").statusCode(201).extract().path("token");
        given().header("X-User-Id", "alice").when().get("/api/v1/queue/tokens/" + token)
                .then().statusCode(401).contentType("application/problem+json").body("type", equalTo(UNAUTHENTICATED));
    }

    @Test
    void forgedExpiredForeignAudienceAndForeignIssuerHopTokensAre401AndCreateOrRevealNothing() throws Exception {
        // Alice's admitted place, whose access token an attacker would like to read
        long admittedConcert = freshConcertId();
        String alicesToken = register(admittedConcert, "alice").statusCode(201).extract().path("token");
        admission.admit(admittedConcert, 1);
        readModel.refresh();
        String alicesAccessToken = poll(alicesToken, "alice").statusCode(200).body("status", equalTo("ACTIVE")).extract().path("accessToken");

        var attackersKeys = KeyPairGenerator.getInstance("RSA");
        attackersKeys.initialize(2048);
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("signed with another key", HopTokens.forAccount("alice").audience(AUDIENCE)
                .signedWith(attackersKeys.generateKeyPair().getPrivate()).sign());
        refused.put("expired two minutes ago", HopTokens.forAccount("alice").audience(AUDIENCE).lifetimeSeconds(-120).sign());
        refused.put("for concert-service", HopTokens.forAccount("alice").audience("concert-service").sign());
        refused.put("for no service", HopTokens.forAccount("alice").sign());
        refused.put("from another issuer", HopTokens.forAccount("alice").audience(AUDIENCE).issuer("concert-queue").sign());
        refused.put("unsigned (alg none)", unsigned(HopTokens.forAccount("alice").audience(AUDIENCE).sign()));
        refused.put("the queue's own admission token", alicesAccessToken);
        refused.put("not a JWT", "alice");

        long concert = freshConcertId();
        refused.forEach((what, bearer) -> {
            given().auth().oauth2(bearer).contentType(ContentType.JSON).body(Map.of("concertId", concert))
                    .when().post("/api/v1/queue/tokens")
                    .then().statusCode(401).contentType("application/problem+json").body("type", equalTo(UNAUTHENTICATED));
            given().auth().oauth2(bearer).when().get("/api/v1/queue/tokens/" + alicesToken)
                    .then().statusCode(401).contentType("application/problem+json")
                    .body("type", equalTo(UNAUTHENTICATED))
                    .body(not(containsString(alicesAccessToken)));
            assertThat(placesIn(concert)).as(what).isZero();
        });
    }

    @Test
    void accountBRegisteringWithAsUserIdIs403AndGetsNothingOfAs() {
        long concert = freshConcertId();
        String a = "alice-" + UUID.randomUUID();
        String b = "bob-" + UUID.randomUUID();
        String alicesToken = register(concert, a).statusCode(201).extract().path("token");

        for (long room : new long[]{concert, freshConcertId()}) {
            String answer = given().auth().oauth2(hopToken(b)).contentType(ContentType.JSON)
                    .body(Map.of("concertId", room, "userId", a))
                    .when().post("/api/v1/queue/tokens")
                    .then().statusCode(403)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://concert-platform.example/problems/not-your-account"))
                    .extract().asString();
            assertThat(answer).doesNotContain(alicesToken).doesNotContain("position");
        }
        // nothing was created, for Alice or for Bob, and Alice keeps her one place
        assertThat(sql.queryLong("SELECT count(*) FROM queue_token WHERE user_id IN (?, ?)", a, b)).isEqualTo(1);
        assertThat(sql.value("SELECT user_id FROM queue_token WHERE concert_id = ?", concert)).isEqualTo(a);
        poll(alicesToken, a).statusCode(200).body("position", equalTo(1));
    }

    @Test
    void anotherAccountPollingATokenIdIsAnsweredLikeAnUnknownTokenEvenWhileItIsAdmitted() throws Exception {
        long concert = freshConcertId();
        String a = "alice-" + UUID.randomUUID();
        String b = "bob-" + UUID.randomUUID();
        String alicesToken = register(concert, a).statusCode(201).extract().path("token");
        UUID unknown = UUID.randomUUID();
        String unknownAnswer = poll(unknown.toString(), b).statusCode(404).extract().asString();
        String expected = unknownAnswer.replace(unknown.toString(), alicesToken);

        String bobsHopToken = hopToken(b);
        URI alicesPlace = URI.create(tokens + "/" + alicesToken);
        // hundreds of Bob's polls while Alice is admitted ...
        CompletableFuture<List<Result>> duringAdmission = CompletableFuture.supplyAsync(() -> race(400, alicesPlace, bobsHopToken));
        admission.admit(concert, 1);
        readModel.refresh();
        List<Result> whileAdmitting = duringAdmission.get();
        // ... and after her access token has been signed and is served from memory
        String alicesAccessToken = poll(alicesToken, a).statusCode(200).body("status", equalTo("ACTIVE"))
                .body("accessToken", notNullValue()).extract().path("accessToken");
        List<Result> afterwards = race(200, alicesPlace, bobsHopToken);
        // an operator of another account is no owner either
        String operators = poll(alicesToken, "operator-" + UUID.randomUUID()).extract().asString();

        for (List<Result> polls : List.of(whileAdmitting, afterwards)) {
            assertThat(polls).allSatisfy(r -> {
                assertThat(r.status()).isEqualTo(404);
                assertThat(r.body()).isEqualTo(expected).doesNotContain("accessToken").doesNotContain(alicesAccessToken);
            });
        }
        assertThat(operators).doesNotContain(alicesAccessToken).contains("queue-token-not-found");
    }

    @Test
    void aTokenThisReplicaHasNotSeenYetIsAlso404ForAnotherAccount() throws Exception {
        long concert = freshConcertId();
        String a = "alice-" + UUID.randomUUID();
        UUID token = UUID.randomUUID();
        // registered through another replica: this one knows it only from the database
        sql.update("INSERT INTO waiting_room (concert_id, last_seq) VALUES (?, 1)", concert);
        sql.update("INSERT INTO queue_token (id, concert_id, user_id, seq, status, registered_at, last_polled_at) "
                + "VALUES (?, ?, ?, 1, 'STANDBY', now(), now())", token, concert, a);

        poll(token.toString(), "bob").statusCode(404).body("type", equalTo("https://concert-platform.example/problems/queue-token-not-found"));
        poll(token.toString(), a).statusCode(200).body("status", equalTo("WAITING")).body("position", equalTo(1));
        // now answered from memory, still not for Bob
        poll(token.toString(), "bob").statusCode(404);
    }

    private static List<Result> race(int polls, URI uri, String bearer) {
        try {
            return ConcurrentHttp.race(polls, 50, i -> ConcurrentHttp.get(uri, bearer));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same claims with {@code alg: none} and no signature. */
    private static String unsigned(String jwt) {
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        return header + "." + jwt.split("\\.")[1] + ".";
    }
}
