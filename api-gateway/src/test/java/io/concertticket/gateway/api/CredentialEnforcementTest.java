package io.concertticket.gateway.api;

import io.concertticket.gateway.support.FakeServices;
import io.concertticket.gateway.support.Fakes;
import io.concertticket.gateway.support.HopTokenClaims;
import io.concertticket.gateway.support.Tokens;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Base64;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * Identity tokens (from the fake OpenID Connect issuer of {@link FakeServices}), admission tokens and the
 * hop token the services get, tested as an attacker would try them. The same checks against the real
 * identity provider: {@code KeycloakIdentityTest}.
 */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
@WithTestResource(FakeServices.class)
class CredentialEnforcementTest {

    private static final String SEATS = "/api/v1/schedules/7/seats";

    private final String buyer = "buyer-" + UUID.randomUUID();

    // ---- what a service receives

    @Test
    void aSaleRequestReachesTheServiceWithAHopTokenNamingTheAccountAndItsAdmission() throws Exception {
        UUID admissionId = UUID.randomUUID();
        String hop = given().header("Authorization", Tokens.bearer(buyer))
                .header("Admission-Token", Tokens.admission(buyer, 42, admissionId))
                .when().get(SEATS)
                .then().statusCode(200)
                .body("service", equalTo("concert"))
                .body("uri", equalTo(SEATS))
                .body("headers.admission-token", nullValue())
                .extract().path("headers.authorization");
        JwtClaims claims = HopTokenClaims.verified(hop, "concert-service");
        assertThat(claims.getSubject()).isEqualTo(buyer);
        assertThat(claims.getStringListClaimValue("groups")).isEmpty();
        assertThat(((Number) claims.getClaimValue("concert_id")).longValue()).isEqualTo(42);
        assertThat(claims.getClaimValue("admission_id")).isEqualTo(admissionId.toString());
        assertThat(claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue()).isBetween(1L, 60L);
    }

    @Test
    void anIdentityOnlyRequestGetsAHopTokenWithoutAdmissionForItsOwnService() throws Exception {
        String hop = given().header("Authorization", Tokens.bearer(buyer, "operator"))
                .header("Admission-Token", Tokens.admission(buyer, 42, UUID.randomUUID()))
                .when().get("/api/v1/queue/tokens/" + UUID.randomUUID())
                .then().statusCode(200).body("service", equalTo("queue"))
                .extract().path("headers.authorization");
        JwtClaims claims = HopTokenClaims.verified(hop, "queue-service");
        assertThat(claims.getSubject()).isEqualTo(buyer);
        assertThat(claims.getStringListClaimValue("groups")).containsExactly("operator");
        assertThat(claims.hasClaim("concert_id")).isFalse();
        assertThat(claims.hasClaim("admission_id")).isFalse();
    }

    @Test
    void aPollingClientGetsTheSameHopTokenAgainInsteadOfANewSignature() {
        String identity = Tokens.bearer(buyer);
        String path = "/api/v1/queue/tokens/" + UUID.randomUUID();
        String first = given().header("Authorization", identity).when().get(path).then().statusCode(200)
                .extract().path("headers.authorization");
        String second = given().header("Authorization", identity).when().get(path).then().statusCode(200)
                .extract().path("headers.authorization");
        assertThat(second).isEqualTo(first);
        String payment = given().header("Authorization", identity).contentType("application/json").body("{}")
                .when().get("/api/v1/users/me/points").then().statusCode(200).extract().path("headers.authorization");
        assertThat(payment).as("another service gets a hop token of its own").isNotEqualTo(first);
    }

    @Test
    void identityHeadersAndTheClientsAuthorizationNeverReachAService() {
        given().header("Authorization", Tokens.bearer(buyer))
                .header("Admission-Token", Tokens.admission(buyer, 42, UUID.randomUUID()))
                .header("X-User-Id", "admin").header("x-concert-id", "1").header("X-TOKEN-ID", "forged")
                .when().get(SEATS)
                .then().statusCode(200)
                .body("headers.x-user-id", nullValue())
                .body("headers.x-concert-id", nullValue())
                .body("headers.x-token-id", nullValue())
                .body("headers.admission-token", nullValue())
                .body("headers.authorization", startsWith("Bearer "))
                .body("headers.authorization", org.hamcrest.Matchers.not(containsString(Tokens.identity(buyer).substring(0, 20))));
    }

    // ---- identity tokens

    @Test
    void aRequestWithoutIdentityTokenIsRefusedWithoutReachingTheService() {
        String path = "/api/v1/queue/tokens/" + UUID.randomUUID();
        given().header("X-User-Id", buyer).when().get(path)
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("status", equalTo(401))
                .body("reason", equalTo("missing-token"))
                .body("credential", equalTo("identity-token"))
                .body("instance", equalTo(path));
        assertThat(Fakes.seenBy("queue")).doesNotContain(path);
    }

    @Test
    void malformedAuthorizationIsRefused() {
        refused("Basic dXNlcjpwYXNz", "malformed-token");
        refused("Bearer not-a-jwt", "malformed-token");
        refused("Bearer a.b", "malformed-token");
        refused("Bearer " + "a".repeat(9000) + ".b.c", "malformed-token");
    }

    @Test
    void anIdentityTokenWhosePayloadWasAlteredIsRefused() {
        String token = Tokens.identity(buyer);
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"roles\":[]", "\"roles\":[\"operator\"]");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        refused("Bearer " + forged, "bad-signature");
    }

    @Test
    void anIdentityTokenSignedWithTheAttackersKeyUnderThePublishedKeyIdIsRefused() throws Exception {
        String token = Tokens.sign(attackerKey(), "idp-1", AlgorithmIdentifiers.RSA_USING_SHA256,
                Tokens.identityClaims(Tokens.issuer(), Tokens.AUDIENCE, buyer, 300, "operator"));
        refused("Bearer " + token, "bad-signature");
    }

    @Test
    void anIdentityTokenSignedWithAnUnpublishedKeyIsRefused() throws Exception {
        String token = Tokens.sign(attackerKey(), "rogue-" + UUID.randomUUID(), AlgorithmIdentifiers.RSA_USING_SHA256,
                Tokens.identityClaims(Tokens.issuer(), Tokens.AUDIENCE, buyer, 300));
        refused("Bearer " + token, "unknown-key");
    }

    @Test
    void unsignedAndHmacIdentityTokensAreRefused() {
        JwtClaims claims = Tokens.identityClaims(Tokens.issuer(), Tokens.AUDIENCE, buyer, 300, "operator");
        // alg none: the signature part is empty, so it is not even a signed JWT
        refused("Bearer " + Tokens.sign(null, "idp-1", AlgorithmIdentifiers.NONE, claims), "malformed-token");
        String unsignedWithJunk = Tokens.sign(null, "idp-1", AlgorithmIdentifiers.NONE, claims) + "c2lnbmF0dXJl";
        refusedAnyReason("Bearer " + unsignedWithJunk);
        refusedAnyReason("Bearer " + Tokens.sign(new HmacKey(new byte[32]), "idp-1", AlgorithmIdentifiers.HMAC_SHA256, claims));
    }

    @Test
    void anExpiredIdentityTokenIsRefused() {
        String token = Tokens.sign(Tokens.identityProviderKey(), "idp-1", AlgorithmIdentifiers.RSA_USING_SHA256,
                Tokens.identityClaims(Tokens.issuer(), Tokens.AUDIENCE, buyer, -5));
        refused("Bearer " + token, "expired-token");
    }

    @Test
    void anIdentityTokenOfAnotherIssuerIsRefused() {
        String token = Tokens.sign(Tokens.identityProviderKey(), "idp-1", AlgorithmIdentifiers.RSA_USING_SHA256,
                Tokens.identityClaims("http://evil.example/realms/concert", Tokens.AUDIENCE, buyer, 300));
        refused("Bearer " + token, "wrong-issuer");
    }

    @Test
    void anIdentityTokenForAnotherAudienceIsRefused() {
        String token = Tokens.sign(Tokens.identityProviderKey(), "idp-1", AlgorithmIdentifiers.RSA_USING_SHA256,
                Tokens.identityClaims(Tokens.issuer(), "some-other-app", buyer, 300));
        refused("Bearer " + token, "wrong-audience");
    }

    @Test
    void anAdmissionTokenIsNotAnIdentityToken() {
        refused("Bearer " + Tokens.admission(buyer, 42, UUID.randomUUID()), "unknown-key");
    }

    // ---- admission tokens

    @Test
    void aSaleRouteWithoutAdmissionTokenIsForbidden() {
        given().header("Authorization", Tokens.bearer(buyer)).when().get(SEATS)
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("https://concert-platform.example/problems/admission-required"));
        given().header("Authorization", Tokens.bearer(buyer)).contentType("application/json").body("{}")
                .when().post("/api/v1/reservations").then().statusCode(403);
        given().header("Authorization", Tokens.bearer(buyer)).contentType("application/json").body("{}")
                .when().post("/api/v1/payments").then().statusCode(403);
        given().header("Authorization", Tokens.bearer(buyer)).when().get("/api/v1/concerts/42/schedules")
                .then().statusCode(403);
    }

    @Test
    void anAdmissionTokenWithoutIdentityTokenIsRefused() {
        given().header("Admission-Token", Tokens.admission(buyer, 42, UUID.randomUUID())).when().get(SEATS)
                .then().statusCode(401).body("reason", equalTo("missing-token")).body("credential", equalTo("identity-token"));
    }

    @Test
    void anotherAccountsAdmissionTokenIsRefused() {
        String path = SEATS + "?stolen=" + UUID.randomUUID();
        given().header("Authorization", Tokens.bearer(buyer))
                .header("Admission-Token", Tokens.admission("someone-else", 42, UUID.randomUUID()))
                .when().get(path)
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("https://concert-platform.example/problems/admission-for-other-account"));
        assertThat(Fakes.seenBy("concert")).doesNotContain(path);
    }

    @Test
    void forgedExpiredAndForeignAdmissionTokensAreRefused() throws Exception {
        admissionRefused(Tokens.sign(attackerKey(), "k1", AlgorithmIdentifiers.RSA_USING_SHA256,
                Tokens.claims("concert-queue", buyer, 42, UUID.randomUUID(), 600)), "bad-signature");
        admissionRefused(Tokens.sign(attackerKey(), "rogue", AlgorithmIdentifiers.RSA_USING_SHA256,
                Tokens.claims("concert-queue", buyer, 42, UUID.randomUUID(), 600)), "unknown-key");
        admissionRefused(Tokens.sign(Tokens.key1(), "k1", AlgorithmIdentifiers.RSA_USING_SHA256,
                Tokens.claims("concert-queue", buyer, 42, UUID.randomUUID(), -5)), "expired-token");
        admissionRefused(Tokens.sign(Tokens.key1(), "k1", AlgorithmIdentifiers.RSA_USING_SHA256,
                Tokens.claims("someone-else", buyer, 42, UUID.randomUUID(), 600)), "wrong-issuer");
        admissionRefused(Tokens.sign(new HmacKey(new byte[32]), "k1", AlgorithmIdentifiers.HMAC_SHA256,
                Tokens.claims("concert-queue", buyer, 42, UUID.randomUUID(), 600)), "unsupported-algorithm");
        admissionRefused(Tokens.identity(buyer), "unknown-key");
    }

    @Test
    void anAdmissionForAnotherConcertGetsTheServicesForbidden() {
        given().header("Authorization", Tokens.bearer(buyer))
                .header("Admission-Token", Tokens.admission(buyer, 42, UUID.randomUUID()))
                .when().get("/api/v1/concerts/43/schedules")
                .then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("another concert"));
        given().header("Authorization", Tokens.bearer(buyer))
                .header("Admission-Token", Tokens.admission(buyer, 43, UUID.randomUUID()))
                .when().get("/api/v1/concerts/43/schedules")
                .then().statusCode(200);
    }

    @Test
    void anAdmissionTokenSignedWithANewlyPublishedKeyIsAcceptedAfterRotation() {
        String token = Tokens.sign(Tokens.key2(), "k2", AlgorithmIdentifiers.RSA_USING_SHA256,
                Tokens.claims("concert-queue", buyer, 42, UUID.randomUUID(), 600));
        Fakes.rotateKeys();
        given().header("Authorization", Tokens.bearer(buyer)).header("Admission-Token", token)
                .when().get(SEATS)
                .then().statusCode(200).body("service", equalTo("concert"));
    }

    /**
     * queue-service replicas publishing different key sets (one with the old key, one with the new, as in a
     * rollout or a rotation), each JWKS fetch landing on either: tokens of both keys stay accepted, 60 rounds
     * with a fetch forced between them (an unknown key id), where replacing the set on each fetch refused half.
     */
    @Test
    void tokensOfEitherKeyStayAcceptedWhileReplicasPublishDifferentKeySets() throws Exception {
        Fakes.rotateKeys(); // k2 becomes known to the gateway
        given().header("Authorization", Tokens.bearer(buyer)).header("Admission-Token", admission(buyer, Tokens.key2(), "k2"))
                .when().get(SEATS).then().statusCode(200);
        int before = Fakes.replicasDisagree(true);
        int fetches;
        try {
            for (int round = 0; round < 60; round++) {
                String account = buyer + "-" + round; // the sale routes' rate limit is per account
                given().header("Authorization", Tokens.bearer(account)).header("Admission-Token", admission(account, Tokens.key1(), "k1"))
                        .when().get(SEATS).then().statusCode(200);
                given().header("Authorization", Tokens.bearer(account)).header("Admission-Token", admission(account, Tokens.key2(), "k2"))
                        .when().get(SEATS).then().statusCode(200);
                // an unknown key id makes the gateway fetch the set again (at most every 100 ms here)
                given().header("Authorization", Tokens.bearer(account)).header("Admission-Token", admission(account, Tokens.key1(), "k-" + round))
                        .when().get(SEATS).then().statusCode(401);
                Thread.sleep(110);
            }
        } finally {
            fetches = Fakes.replicasDisagree(false) - before;
        }
        assertThat(fetches).as("JWKS fetches that alternated").isGreaterThanOrEqualTo(20);
    }

    private static String admission(String account, java.security.PrivateKey key, String kid) {
        return Tokens.sign(key, kid, AlgorithmIdentifiers.RSA_USING_SHA256, Tokens.claims("concert-queue", account, 42, UUID.randomUUID(), 600));
    }

    @Test
    void theAccountsOwnReservationsNeedNoAdmission() {
        given().header("Authorization", Tokens.bearer(buyer)).when().get("/api/v1/reservations")
                .then().statusCode(200).body("service", equalTo("concert"));
        given().header("Authorization", Tokens.bearer(buyer)).when().get("/api/v1/reservations/17")
                .then().statusCode(200).body("service", equalTo("concert"));
    }

    // ---- wallets and the operator API

    @Test
    void aWalletIsReachableOnlyByItsOwnAccount() {
        given().header("Authorization", Tokens.bearer(buyer))
                .when().get("/api/v1/users/" + buyer + "/points/history")
                .then().statusCode(200).body("service", equalTo("payment"));
        given().header("Authorization", Tokens.bearer(buyer))
                .when().get("/api/v1/users/me/points")
                .then().statusCode(200).body("service", equalTo("payment"));
        String others = "/api/v1/users/bob-" + UUID.randomUUID() + "/points";
        given().header("Authorization", Tokens.bearer(buyer)).contentType("application/json").body("{\"amount\":100}")
                .when().post(others + "/charge")
                .then().statusCode(403).contentType("application/problem+json").body("status", equalTo(403));
        assertThat(Fakes.seenBy("payment")).noneMatch(uri -> uri.startsWith(others));
    }

    @Test
    void theOperatorApiNeedsTheOperatorRole() throws Exception {
        String path = "/api/v1/admin/concerts?attempt=" + UUID.randomUUID();
        given().contentType("application/json").body("{}").when().post(path)
                .then().statusCode(401).body("reason", equalTo("missing-token"));
        given().header("Authorization", Tokens.bearer(buyer)).contentType("application/json").body("{}")
                .when().post(path)
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("https://concert-platform.example/problems/operator-role-required"));
        assertThat(Fakes.seenBy("concert")).doesNotContain(path);
        String hop = given().header("Authorization", Tokens.bearer("op-" + UUID.randomUUID(), "operator"))
                .contentType("application/json").body("{}").when().post(path)
                .then().statusCode(200).body("uri", equalTo(path))
                .extract().path("headers.authorization");
        assertThat(HopTokenClaims.verified(hop, "concert-service").getStringListClaimValue("groups")).containsExactly("operator");
    }

    @Test
    void theSaleControlsGoToQueueServiceOnlyForOperators() throws Exception {
        String path = "/api/v1/admin/sales/7/pause?attempt=" + UUID.randomUUID();
        given().when().post(path)
                .then().statusCode(401).contentType("application/problem+json").body("reason", equalTo("missing-token"));
        given().header("Authorization", Tokens.bearer(buyer)).when().post(path)
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("https://concert-platform.example/problems/operator-role-required"));
        assertThat(Fakes.seenBy("queue")).doesNotContain(path);
        String hop = given().header("Authorization", Tokens.bearer("op-" + UUID.randomUUID(), "operator"))
                .when().post(path)
                .then().statusCode(200).body("service", equalTo("queue")).body("uri", equalTo(path))
                .extract().path("headers.authorization");
        JwtClaims claims = HopTokenClaims.verified(hop, "queue-service");
        assertThat(claims.getStringListClaimValue("groups")).containsExactly("operator");
        assertThat(Fakes.seenBy("concert")).doesNotContain(path);
    }

    private static PrivateKey attackerKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair().getPrivate();
    }

    private static RequestSpecification asClient() {
        return given().header("X-Forwarded-For", Fakes.uniqueClient());
    }

    private static ValidatableResponse refused(String authorization, String reason) {
        return refusedAnyReason(authorization).body("reason", equalTo(reason));
    }

    private static ValidatableResponse refusedAnyReason(String authorization) {
        return asClient().header("Authorization", authorization)
                .when().get("/api/v1/queue/tokens/" + UUID.randomUUID())
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("type", startsWith("https://concert-platform.example/problems/"))
                .body("title", equalTo("Unauthorized"))
                .body("status", equalTo(401))
                .body("credential", equalTo("identity-token"));
    }

    private void admissionRefused(String admission, String reason) {
        asClient().header("Authorization", Tokens.bearer(buyer)).header("Admission-Token", admission)
                .when().get(SEATS)
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("invalid_token"))
                .body("reason", equalTo(reason))
                .body("credential", equalTo("admission-token"));
    }

}
