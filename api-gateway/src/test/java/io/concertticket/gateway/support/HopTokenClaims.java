package io.concertticket.gateway.support;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Reads the hop token a fake service received, verified as a service verifies it: with platform-testing's
 * hop-token test public key, issuer {@code concert-gateway}, the service as audience, unexpired.
 */
public final class HopTokenClaims {

    private static final PublicKey KEY = publicKey();

    private HopTokenClaims() {
    }

    /** @param authorization the {@code Authorization} header the service received */
    public static JwtClaims verified(String authorization, String audience) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            throw new AssertionError("no hop token: " + authorization);
        }
        try {
            return new JwtConsumerBuilder()
                    .setVerificationKey(KEY)
                    .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256)
                    .setExpectedIssuer("concert-gateway")
                    .setExpectedAudience(audience)
                    .setRequireExpirationTime()
                    .setRequireIssuedAt()
                    .setRequireSubject()
                    .build()
                    .processToClaims(authorization.substring("Bearer ".length()));
        } catch (Exception e) {
            throw new AssertionError("the hop token does not verify: " + e.getMessage(), e);
        }
    }

    private static PublicKey publicKey() {
        try (InputStream in = HopTokenClaims.class.getClassLoader().getResourceAsStream("hop-token-test-public.pem")) {
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
