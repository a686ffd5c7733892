package io.concertticket.queue.application;

import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.queue.infrastructure.QueueReadModel;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;

import static io.concertticket.queue.QueueTestSupport.freshConcertId;
import static io.concertticket.queue.QueueTestSupport.poll;
import static io.concertticket.queue.QueueTestSupport.register;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "queue"))
class AccessTokenTest {

    @Inject
    AdmitNextBatch admission;
    @Inject
    QueueReadModel readModel;

    /** Verifies as the gateway would: only with the published JWKS, RS256 only, issuer and expiry checked. */
    static JwtConsumer gatewayVerifier() throws Exception {
        String jwks = given().when().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
        return new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwks).getJsonWebKeys()))
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256)
                .setExpectedIssuer("concert-queue")
                .setRequireSubject()
                .setRequireJwtId()
                .setRequireIssuedAt()
                .setRequireExpirationTime()
                .build();
    }

    @Test
    void anActiveTokensAccessTokenVerifiesAgainstThePublishedKeyAndCarriesTheContractClaims() throws Exception {
        long concert = freshConcertId();
        String token = register(concert, "jwt-user").statusCode(201).extract().path("token");
        admission.admit(concert, 1);
        readModel.refresh();
        JsonPath active = poll(token, "jwt-user").statusCode(200).extract().jsonPath();
        assertThat(active.getString("status")).isEqualTo("ACTIVE");
        String jwt = active.getString("accessToken");

        JwtClaims claims = gatewayVerifier().processToClaims(jwt);
        assertThat(claims.getSubject()).isEqualTo("jwt-user");
        assertThat(claims.getJwtId()).isEqualTo(token);
        assertThat(claims.getClaimValue("concertId", Long.class)).isEqualTo(concert);
        assertThat(claims.getExpirationTime().getValue()).isEqualTo(Instant.parse(active.getString("expiresAt")).getEpochSecond());
        assertThat(claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue()).isEqualTo(600);

        JsonWebSignature header = new JsonWebSignature();
        header.setCompactSerialization(jwt);
        String kid = given().when().get("/.well-known/jwks.json").then().extract().path("keys[0].kid");
        assertThat(header.getKeyIdHeaderValue()).isEqualTo(kid);
        assertThat(header.getAlgorithmHeaderValue()).isEqualTo("RS256");

        // polling again serves the same token, not a fresh signature
        assertThat(poll(token, "jwt-user").extract().jsonPath().getString("accessToken")).isEqualTo(jwt);
    }

    @Test
    void aTamperedOrForeignAccessTokenDoesNotVerify() throws Exception {
        long concert = freshConcertId();
        String token = register(concert, "mallory").statusCode(201).extract().path("token");
        admission.admit(concert, 1);
        readModel.refresh();
        String jwt = poll(token, "mallory").extract().jsonPath().getString("accessToken");
        JwtConsumer verifier = gatewayVerifier();
        String[] parts = jwt.split("\\.");

        // another user's name in the payload, original signature
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("\"mallory\"", "\"alice\"");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThatThrownBy(() -> verifier.processToClaims(tampered)).isInstanceOf(InvalidJwtException.class);

        // the same claims and kid, signed with someone else's key
        var foreignKey = KeyPairGenerator.getInstance("RSA");
        foreignKey.initialize(2048);
        JsonWebSignature forged = new JsonWebSignature();
        forged.setPayload(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        forged.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        forged.setKeyIdHeaderValue(new JsonWebSignature() {{ setCompactSerialization(jwt); }}.getKeyIdHeaderValue());
        forged.setKey(foreignKey.generateKeyPair().getPrivate());
        String foreign = forged.getCompactSerialization();
        assertThatThrownBy(() -> verifier.processToClaims(foreign)).isInstanceOf(InvalidJwtException.class);

        // no signature at all
        String unsigned = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
                + "." + parts[1] + ".";
        assertThatThrownBy(() -> verifier.processToClaims(unsigned)).isInstanceOf(InvalidJwtException.class);
    }
}
