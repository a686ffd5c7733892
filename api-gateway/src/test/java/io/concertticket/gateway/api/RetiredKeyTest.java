package io.concertticket.gateway.api;

import io.concertticket.gateway.support.FakeServices;
import io.concertticket.gateway.support.Fakes;
import io.concertticket.gateway.support.Tokens;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.PrivateKey;
import java.time.Duration;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The last step of an access-token key rotation (docs/deployment.md): queue-service stops publishing the old key,
 * and the gateway keeps trusting it for {@code gateway.jwt.retired-key-retention} (10 s here: long enough for the steps before the wait on a loaded machine, where 2 s was not), then refuses its
 * tokens as unknown-key, also a token it had verified (and cached) while the key was trusted. The readiness check
 * names the keys trusted, so an operator can see each step reach every gateway.
 */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
@WithTestResource(value = FakeServices.class, initArgs = @ResourceArg(name = "retired-key-retention", value = "10s"))
class RetiredKeyTest {

    private static final String SEATS = "/api/v1/schedules/7/seats";

    /** This class's gateway has just started (a retention of its own): ready once it has replayed the revocations. */
    @BeforeEach
    void gatewayHasReplayedTheRevocations() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200));
    }

    @Test
    void aRetiredKeysTokensAreAcceptedThroughTheRetentionAndRefusedAfterEvenIfVerifiedBefore() throws Exception {
        String buyer = "buyer-" + UUID.randomUUID();
        String old = admission(buyer, Tokens.key1(), "k1");
        String next = admission(buyer, Tokens.key2(), "k2");
        Fakes.rotateKeys();
        forceKeyFetch(buyer);
        seats(buyer, old).statusCode(200);
        seats(buyer, old).statusCode(200); // now from the verified-token cache
        seats(buyer, next).statusCode(200);
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'credentials' }.data.admissionSigningKeyIds", equalTo("k1,k2"));

        Fakes.retireFirstKey();
        forceKeyFetch(buyer);   // k1 is missing from this fetch, but was seen well within the retention
        seats(buyer, old).statusCode(200);

        Thread.sleep(10_500);
        forceKeyFetch(buyer);   // k1 unseen for longer than the retention: forgotten
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'credentials' }.data.admissionSigningKeyIds", equalTo("k2"));
        seats(buyer, old).statusCode(401).contentType("application/problem+json").body("reason", equalTo("unknown-key"));
        seats(buyer, next).statusCode(200);
    }

    /** A token naming a key id nobody publishes makes the gateway fetch the keys again (at most every 100 ms here). */
    private static void forceKeyFetch(String buyer) throws InterruptedException {
        Thread.sleep(150);
        seats(buyer, admission(buyer, Tokens.key1(), "k-" + UUID.randomUUID())).statusCode(401).body("reason", equalTo("unknown-key"));
    }

    private static io.restassured.response.ValidatableResponse seats(String buyer, String admission) {
        return given().header("Authorization", Tokens.bearer(buyer)).header("X-Forwarded-For", Fakes.uniqueClient())
                .header("Admission-Token", admission).when().get(SEATS).then();
    }

    private static String admission(String account, PrivateKey key, String kid) {
        return Tokens.sign(key, kid, AlgorithmIdentifiers.RSA_USING_SHA256, Tokens.claims("concert-queue", account, 7, UUID.randomUUID(), 600));
    }
}
