package io.concertticket.gateway.api;

import io.concertticket.gateway.support.FakeServices;
import io.concertticket.gateway.support.Fakes;
import io.concertticket.gateway.support.HopTokenClaims;
import io.concertticket.gateway.support.Tokens;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.infra.testing.SharedInfrastructure;
import io.concertticket.testing.KeycloakAccounts;
import io.concertticket.testing.KeycloakAccounts.SignedIn;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * The gateway against the real identity provider: a Keycloak with the {@code concert} realm (local-infra),
 * accounts buyer1, buyer2 and operator1 signed in with the password grant of {@code concert-cli}.
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "keycloak", value = "true"))
@WithTestResource(value = FakeServices.class, initArgs = @ResourceArg(name = "fake-identity-provider", value = "false"))
class KeycloakIdentityTest {

    private static SignedIn buyer1;
    private static SignedIn buyer2;
    private static SignedIn operator1;

    @BeforeAll
    static void signIn() {
        KeycloakAccounts keycloak = new KeycloakAccounts(SharedInfrastructure.keycloakIssuer());
        buyer1 = keycloak.signIn("buyer1", "buyer1");
        buyer2 = keycloak.signIn("buyer2", "buyer2");
        operator1 = keycloak.signIn("operator1", "operator1");
    }

    @Test
    void aSignedInBuyerIsForwardedWithAHopTokenForItsAccount() throws Exception {
        String hop = given().header("Authorization", "Bearer " + buyer1.accessToken())
                .header("X-User-Id", buyer2.subject())
                .when().get("/api/v1/queue/tokens/" + UUID.randomUUID())
                .then().statusCode(200).body("service", equalTo("queue"))
                .body("headers.x-user-id", nullValue())
                .extract().path("headers.authorization");
        JwtClaims claims = HopTokenClaims.verified(hop, "queue-service");
        assertThat(claims.getSubject()).isEqualTo(buyer1.subject());
        assertThat(claims.getStringListClaimValue("groups")).doesNotContain("operator");
        assertThat(claims.hasClaim("concert_id")).isFalse();
    }

    @Test
    void aSaleRequestCarriesTheAdmissionOfTheSameAccount() throws Exception {
        UUID admissionId = UUID.randomUUID();
        String hop = given().header("Authorization", "Bearer " + buyer1.accessToken())
                .header("Admission-Token", Tokens.admission(buyer1.subject(), 42, admissionId))
                .when().get("/api/v1/schedules/7/seats")
                .then().statusCode(200).body("headers.admission-token", nullValue())
                .extract().path("headers.authorization");
        JwtClaims claims = HopTokenClaims.verified(hop, "concert-service");
        assertThat(claims.getSubject()).isEqualTo(buyer1.subject());
        assertThat(((Number) claims.getClaimValue("concert_id")).longValue()).isEqualTo(42);
        assertThat(claims.getClaimValue("admission_id")).isEqualTo(admissionId.toString());
    }

    @Test
    void buyer1sAdmissionPresentedWithBuyer2sIdentityIsRefused() {
        String path = "/api/v1/schedules/7/seats?stolen=" + UUID.randomUUID();
        given().header("Authorization", "Bearer " + buyer2.accessToken())
                .header("Admission-Token", Tokens.admission(buyer1.subject(), 42, UUID.randomUUID()))
                .when().get(path)
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("https://concert-platform.example/problems/admission-for-other-account"));
        assertThat(Fakes.seenBy("concert")).doesNotContain(path);
    }

    @Test
    void theOperatorApiIsForOperatorsOnly() throws Exception {
        String path = "/api/v1/admin/concerts?k=" + UUID.randomUUID();
        given().contentType("application/json").body("{}").when().post(path)
                .then().statusCode(401).header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer"));
        given().header("Authorization", "Bearer " + buyer1.accessToken()).contentType("application/json").body("{}")
                .when().post(path).then().statusCode(403);
        assertThat(Fakes.seenBy("concert")).doesNotContain(path);
        String hop = given().header("Authorization", "Bearer " + operator1.accessToken()).contentType("application/json")
                .body("{}").when().post(path)
                .then().statusCode(200).body("uri", equalTo(path))
                .extract().path("headers.authorization");
        JwtClaims claims = HopTokenClaims.verified(hop, "concert-service");
        assertThat(claims.getSubject()).isEqualTo(operator1.subject());
        assertThat(claims.getStringListClaimValue("groups")).contains("operator");
    }

    @Test
    void anotherAccountsWalletIsForbidden() {
        given().header("Authorization", "Bearer " + buyer1.accessToken())
                .when().get("/api/v1/users/" + buyer2.subject() + "/points")
                .then().statusCode(403);
        given().header("Authorization", "Bearer " + buyer1.accessToken())
                .when().get("/api/v1/users/" + buyer1.subject() + "/points")
                .then().statusCode(200).body("service", equalTo("payment"));
    }

    @Test
    void aTokenSignedWithTheAttackersKeyUnderKeycloaksKeyIdIsRefused() throws Exception {
        JsonWebSignature real = new JsonWebSignature();
        real.setCompactSerialization(buyer1.accessToken());
        JwtClaims claims = JwtClaims.parse(real.getUnverifiedPayload());
        claims.setStringListClaim("roles", "operator");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String forged = Tokens.sign(generator.generateKeyPair().getPrivate(), real.getKeyIdHeaderValue(),
                AlgorithmIdentifiers.RSA_USING_SHA256, claims);
        refused(forged, "bad-signature");
    }

    @Test
    void anUnsignedTokenIsRefused() {
        String[] parts = buyer1.accessToken().split("\\.");
        String noneHeader = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        refused(noneHeader + "." + parts[1] + ".", "malformed-token");
        given().header("Authorization", "Bearer " + noneHeader + "." + parts[1] + "." + parts[2])
                .header("X-Forwarded-For", Fakes.uniqueClient())
                .when().get("/api/v1/queue/tokens/" + UUID.randomUUID()).then().statusCode(401);
    }

    @Test
    void aTokenWhosePayloadWasAlteredIsRefused() {
        String[] parts = buyer1.accessToken().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace(buyer1.subject(), buyer2.subject());
        refused(parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2], "bad-signature");
    }

    @Test
    void aTokenOfAnotherRealmIsRefused() throws Exception {
        // the master realm's administrator: another issuer, other keys, another audience
        String issuer = SharedInfrastructure.keycloakIssuer();
        String master = issuer.substring(0, issuer.indexOf("/realms/")) + "/realms/master/protocol/openid-connect/token";
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(master))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=admin-cli&username="
                        + KeycloakAccounts.LOCAL_ADMIN_USERNAME + "&password=" + KeycloakAccounts.LOCAL_ADMIN_PASSWORD))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String token = io.restassured.path.json.JsonPath.from(response.body()).getString("access_token");
        given().header("Authorization", "Bearer " + token).header("X-Forwarded-For", Fakes.uniqueClient())
                .when().get("/api/v1/queue/tokens/" + UUID.randomUUID())
                .then().statusCode(401).contentType("application/problem+json").body("credential", equalTo("identity-token"));
    }

    private static void refused(String token, String reason) {
        given().header("Authorization", "Bearer " + token).header("X-Forwarded-For", Fakes.uniqueClient())
                .when().get("/api/v1/queue/tokens/" + UUID.randomUUID())
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", org.hamcrest.Matchers.containsString("Bearer"))
                .body("reason", equalTo(reason));
    }
}
