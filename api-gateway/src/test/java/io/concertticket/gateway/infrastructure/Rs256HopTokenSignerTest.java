package io.concertticket.gateway.infrastructure;

import io.concertticket.gateway.domain.Account;
import io.concertticket.gateway.domain.AdmissionToken;
import io.concertticket.gateway.domain.HopGrant;
import io.concertticket.gateway.domain.Upstream;
import io.concertticket.gateway.support.HopTokenClaims;
import io.concertticket.testing.HopTokens;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hop token as the services verify it (RS256 with the test key pair, issuer, audience, expiry), with the
 * claims service-identity's HopToken names, also for account ids and roles that need escaping in JSON.
 */
class Rs256HopTokenSignerTest {

    private final Rs256HopTokenSigner signer = new Rs256HopTokenSigner(testKey(), "concert-gateway");

    @Test
    void aGrantWithAnAdmissionCarriesEveryClaimAndVerifiesAsAServiceVerifiesIt() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String account = "al\"ice\\\n☃-" + UUID.randomUUID();
        String admissionId = UUID.randomUUID().toString();
        HopGrant grant = new HopGrant(new Account(account, Set.of("operator", "quote\"role"), (now + 600) * 1000),
                new AdmissionToken(account, 42, admissionId, (now + 600) * 1000, "k1"), Upstream.CONCERT);

        String jwt = signer.sign(grant, now, now + 60);

        JwtClaims claims = HopTokenClaims.verified("Bearer " + jwt, "concert-service");
        assertThat(claims.getIssuer()).isEqualTo("concert-gateway");
        assertThat(claims.getAudience()).containsExactly("concert-service");
        assertThat(claims.getSubject()).isEqualTo(account);
        assertThat(claims.getStringListClaimValue("groups")).containsExactlyInAnyOrder("operator", "quote\"role");
        assertThat(claims.getIssuedAt().getValue()).isEqualTo(now);
        assertThat(claims.getExpirationTime().getValue()).isEqualTo(now + 60);
        assertThat(claims.getClaimValue("concert_id")).isEqualTo(42L);
        assertThat(claims.getClaimValue("admission_id")).isEqualTo(admissionId);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(jwt);
        assertThat(jws.getAlgorithmHeaderValue()).isEqualTo("RS256");
    }

    @Test
    void aGrantWithoutAdmissionHasNoAdmissionClaimsAndIsForItsServiceOnly() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        HopGrant grant = new HopGrant(new Account("bob", Set.of(), (now + 600) * 1000), null, Upstream.QUEUE);

        String jwt = signer.sign(grant, now, now + 60);

        JwtClaims claims = HopTokenClaims.verified("Bearer " + jwt, "queue-service");
        assertThat(claims.getStringListClaimValue("groups")).isEmpty();
        assertThat(claims.hasClaim("concert_id")).isFalse();
        assertThat(claims.hasClaim("admission_id")).isFalse();
        assertThatThrownBy(() -> HopTokenClaims.verified("Bearer " + jwt, "payment-service")).isInstanceOf(AssertionError.class);
    }

    private static java.security.PrivateKey testKey() {
        // the same key the gateway's tests sign with (%test.gateway.hop-token.private-key-location)
        try (var in = HopTokens.class.getClassLoader().getResourceAsStream(HopTokens.TEST_PRIVATE_KEY)) {
            Path pem = Files.createTempFile("hop-token-test", ".pem");
            Files.write(pem, in.readAllBytes());
            try {
                return HopTokens.privateKey(pem);
            } finally {
                Files.delete(pem);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
