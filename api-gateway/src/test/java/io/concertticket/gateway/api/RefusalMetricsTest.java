package io.concertticket.gateway.api;

import io.concertticket.gateway.support.FakeServices;
import io.concertticket.gateway.support.Fakes;
import io.concertticket.gateway.support.Scrape;
import io.concertticket.gateway.support.Tokens;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.junit.jupiter.api.Test;

import java.security.KeyPairGenerator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every refusal the gateway answers itself is counted in {@code gateway_refusals_total{status, reason, credential}},
 * read here from a real scrape of /q/metrics before and after a known set of refused requests.
 */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
@WithTestResource(FakeServices.class)
class RefusalMetricsTest {

    private static final String SEATS = "/api/v1/schedules/7/seats";

    private final String buyer = "refused-" + UUID.randomUUID();

    @Test
    void eachRefusalIsCountedByStatusReasonAndCredential() throws Exception {
        Map<String, Double> before = refusals();

        given().when().get(SEATS).then().statusCode(401);
        given().when().get(SEATS).then().statusCode(401);
        given().header("Authorization", "Bearer not-a-jwt").when().get(SEATS).then().statusCode(401);
        given().header("Authorization", "Bearer " + Tokens.sign(Tokens.identityProviderKey(), "idp-1",
                        AlgorithmIdentifiers.RSA_USING_SHA256,
                        Tokens.identityClaims(Tokens.issuer(), Tokens.AUDIENCE, buyer, -120)))
                .when().get(SEATS).then().statusCode(401);
        var forger = KeyPairGenerator.getInstance("RSA");
        forger.initialize(2048);
        given().header("Authorization", "Bearer " + Tokens.sign(forger.generateKeyPair().getPrivate(), "idp-1",
                        AlgorithmIdentifiers.RSA_USING_SHA256,
                        Tokens.identityClaims(Tokens.issuer(), Tokens.AUDIENCE, buyer, 300, "operator")))
                .when().get(SEATS).then().statusCode(401);

        String identity = Tokens.bearer(buyer);
        given().header("Authorization", identity).header("Admission-Token", "garbage")
                .when().get(SEATS).then().statusCode(401);
        given().header("Authorization", identity).when().get(SEATS).then().statusCode(403);
        given().header("Authorization", identity)
                .header("Admission-Token", Tokens.admission("someone-else", 7, UUID.randomUUID()))
                .when().get(SEATS).then().statusCode(403);
        given().header("Authorization", identity).when().post("/api/v1/admin/concerts").then().statusCode(403);

        Fakes.stop("payment");
        try {
            given().header("Authorization", identity).header("Admission-Token", Tokens.admission(buyer, 42, UUID.randomUUID()))
                    .contentType("application/json").body("{}")
                    .when().post("/api/v1/payments").then().statusCode(503);
        } finally {
            Fakes.start("payment");
        }

        Map<String, Double> counted = new HashMap<>();
        refusals().forEach((series, value) -> {
            double delta = value - before.getOrDefault(series, 0.0);
            if (delta != 0) {
                counted.put(series, delta);
            }
        });
        assertThat(counted).isEqualTo(Map.of(
                series("401", "missing-token", "identity-token"), 2.0,
                series("401", "malformed-token", "identity-token"), 1.0,
                series("401", "expired-token", "identity-token"), 1.0,
                series("401", "bad-signature", "identity-token"), 1.0,
                series("401", "malformed-token", "admission-token"), 1.0,
                series("403", "admission-required", "none"), 1.0,
                series("403", "admission-for-other-account", "none"), 1.0,
                series("403", "operator-role-required", "none"), 1.0,
                series("503", "service-unreachable", "none"), 1.0));
    }

    private static String series(String status, String reason, String credential) {
        return "credential=\"" + credential + "\",reason=\"" + reason + "\",status=\"" + status + "\"";
    }

    /** gateway_refusals_total by its labels (as Prometheus prints them, sorted), from a real scrape. */
    private static Map<String, Double> refusals() {
        return Scrape.series(Scrape.text(), "gateway_refusals_total");
    }
}
