package io.concertticket.gateway.api;

import io.concertticket.gateway.support.FakeServices;
import io.concertticket.gateway.support.Fakes;
import io.concertticket.gateway.support.Tokens;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
@WithTestResource(FakeServices.class)
class AccessTokenEnforcementTest {

    private static final String SEATS = "/api/v1/schedules/7/seats";

    @Test
    void aValidTokenReachesTheServiceWhichSeesTheVerifiedIdentity() {
        UUID tokenId = UUID.randomUUID();
        given().header("Authorization", "Bearer " + Tokens.valid("user-1", 42, tokenId))
                .when().get(SEATS)
                .then().statusCode(200)
                .body("service", equalTo("concert"))
                .body("uri", equalTo(SEATS))
                .body("headers.x-user-id", equalTo("user-1"))
                .body("headers.x-concert-id", equalTo("42"))
                .body("headers.x-token-id", equalTo(tokenId.toString()));
    }

    @Test
    void identityHeadersSentByTheClientAreReplacedByTheTokensOnAProtectedRoute() {
        UUID tokenId = UUID.randomUUID();
        given().header("Authorization", "Bearer " + Tokens.valid("user-2", 42, tokenId))
                .header("X-User-Id", "admin")
                .header("x-concert-id", "1")
                .header("X-TOKEN-ID", "forged")
                .when().get(SEATS)
                .then().statusCode(200)
                .body("headers.x-user-id", equalTo("user-2"))
                .body("headers.x-concert-id", equalTo("42"))
                .body("headers.x-token-id", equalTo(tokenId.toString()));
    }

    @Test
    void identityHeadersSentByTheClientAreDroppedOnAPublicRoute() {
        given().header("X-User-Id", "admin").header("X-Concert-Id", "1").header("x-token-id", "forged")
                .header("X-Forwarded-For", Fakes.uniqueClient())
                .when().get("/api/v1/queue/tokens/" + UUID.randomUUID())
                .then().statusCode(200)
                .body("service", equalTo("queue"))
                .body("headers.x-user-id", nullValue())
                .body("headers.x-concert-id", nullValue())
                .body("headers.x-token-id", nullValue());
    }

    @Test
    void aRequestWithoutTokenIsRefusedWithoutReachingTheService() {
        String path = "/api/v1/schedules/" + UUID.randomUUID() + "/seats";
        given().when().get(path)
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("status", equalTo(401))
                .body("reason", equalTo("missing-token"))
                .body("instance", equalTo(path));
        assertThat(Fakes.seenBy("concert")).doesNotContain(path);
    }

    @Test
    void malformedAuthorizationIsRefused() {
        refused("Basic dXNlcjpwYXNz", "malformed-token");
        refused("Bearer not-a-jwt", "malformed-token");
        refused("Bearer a.b.c", "malformed-token");
        refused("Bearer ", "malformed-token");
    }

    @Test
    void aTokenWhosePayloadWasAlteredIsRefused() {
        String token = Tokens.valid("user-3", 42, UUID.randomUUID());
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("user-3", "user-4");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        refused("Bearer " + forged, "bad-signature");
    }

    @Test
    void aTokenSignedWithAnotherKeyUnderAPublishedKeyIdIsRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String token = Tokens.sign(generator.generateKeyPair().getPrivate(), "k1", AlgorithmIdentifiers.RSA_USING_SHA256,
                Tokens.claims("concert-queue", "user-5", 42, UUID.randomUUID(), 600));
        refused("Bearer " + token, "bad-signature");
    }

    @Test
    void aTokenSignedWithAnUnpublishedKeyIsRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String token = Tokens.sign(generator.generateKeyPair().getPrivate(), "rogue", AlgorithmIdentifiers.RSA_USING_SHA256,
                Tokens.claims("concert-queue", "user-6", 42, UUID.randomUUID(), 600));
        refused("Bearer " + token, "unknown-key");
    }

    @Test
    void tokensWithoutRs256AreRefusedWhateverTheySay() {
        var claims = Tokens.claims("concert-queue", "user-7", 42, UUID.randomUUID(), 600);
        String unsigned = Tokens.sign(null, "k1", AlgorithmIdentifiers.NONE, claims);
        refused("Bearer " + unsigned, "malformed-token");
        String hmac = Tokens.sign(new HmacKey(new byte[32]), "k1", AlgorithmIdentifiers.HMAC_SHA256, claims);
        refused("Bearer " + hmac, "unsupported-algorithm");
    }

    @Test
    void anExpiredTokenIsRefused() {
        String token = Tokens.sign(Tokens.key1(), "k1", AlgorithmIdentifiers.RSA_USING_SHA256,
                Tokens.claims("concert-queue", "user-8", 42, UUID.randomUUID(), -5));
        refused("Bearer " + token, "expired-token").body("detail", containsString("expired at"));
    }

    @Test
    void aTokenOfAnotherIssuerIsRefused() {
        String token = Tokens.sign(Tokens.key1(), "k1", AlgorithmIdentifiers.RSA_USING_SHA256,
                Tokens.claims("someone-else", "user-9", 42, UUID.randomUUID(), 600));
        refused("Bearer " + token, "wrong-issuer");
    }

    @Test
    void aTokenOfAnotherConcertGetsTheServicesForbidden() {
        given().header("Authorization", "Bearer " + Tokens.valid("user-10", 42, UUID.randomUUID()))
                .when().get("/api/v1/concerts/43/schedules")
                .then().statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("another concert"));
        given().header("Authorization", "Bearer " + Tokens.valid("user-10", 43, UUID.randomUUID()))
                .when().get("/api/v1/concerts/43/schedules")
                .then().statusCode(200).body("headers.x-concert-id", equalTo("43"));
    }

    @Test
    void aWalletIsReachableOnlyWithItsOwnersToken() {
        String token = Tokens.valid("alice", 42, UUID.randomUUID());
        given().header("Authorization", "Bearer " + token)
                .when().get("/api/v1/users/alice/points/history")
                .then().statusCode(200).body("service", equalTo("payment")).body("headers.x-user-id", equalTo("alice"));
        String others = "/api/v1/users/bob-" + UUID.randomUUID() + "/points";
        given().header("Authorization", "Bearer " + token).contentType("application/json").body("{\"amount\":100}")
                .when().post(others + "/charge")
                .then().statusCode(403).contentType("application/problem+json").body("status", equalTo(403));
        assertThat(Fakes.seenBy("payment")).noneMatch(uri -> uri.startsWith(others));
    }

    @Test
    void aTokenSignedWithANewlyPublishedKeyIsAcceptedAfterRotation() {
        String token = Tokens.sign(Tokens.key2(), "k2", AlgorithmIdentifiers.RSA_USING_SHA256,
                Tokens.claims("concert-queue", "user-11", 42, UUID.randomUUID(), 600));
        Fakes.rotateKeys();
        given().header("Authorization", "Bearer " + token)
                .when().get(SEATS)
                .then().statusCode(200).body("headers.x-user-id", equalTo("user-11"));
    }

    private static ValidatableResponse refused(String authorization, String reason) {
        return given().header("Authorization", authorization)
                .when().get(SEATS)
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("invalid_token"))
                .body("type", startsWith("https://concert-platform.example/problems/"))
                .body("title", equalTo("Unauthorized"))
                .body("status", equalTo(401))
                .body("reason", equalTo(reason));
    }
}
