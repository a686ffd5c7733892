package io.concertticket.gateway.infrastructure;

import io.concertticket.gateway.domain.AdmissionToken;
import io.concertticket.gateway.domain.TokenRejectedException;
import io.concertticket.gateway.domain.TokenRejectedException.Reason;
import io.concertticket.gateway.domain.VerificationKeys;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Rs256TokenVerifierTest {

    private static KeyPair published;
    private static KeyPair other;
    private static VerificationKeys keys;
    private final Rs256TokenVerifier verifier = new Rs256TokenVerifier("concert-queue");

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        published = generator.generateKeyPair();
        other = generator.generateKeyPair();
        keys = new VerificationKeys(Map.of("k1", (RSAPublicKey) published.getPublic()), 0);
    }

    private static final String CLAIMS = """
            {"iss":"concert-queue","sub":"user-1","concertId":42,"jti":"8d2c3c8e-6a51-4c0e-9a57-0c2b1c1f1e11","iat":1700000000,"exp":1700000600}""";

    @Test
    void aTokenSignedByThePublishedKeyGivesItsClaims() {
        AdmissionToken token = verifier.verify(sign(published.getPrivate(), "k1", "RS256", CLAIMS), keys);
        assertThat(token).isEqualTo(new AdmissionToken("user-1", 42, "8d2c3c8e-6a51-4c0e-9a57-0c2b1c1f1e11", 1_700_000_600_000L, "k1"));
    }

    @Test
    void expiryIsLeftToTheCallerBecauseVerifiedTokensAreCached() {
        AdmissionToken token = verifier.verify(sign(published.getPrivate(), "k1", "RS256", CLAIMS), keys);
        assertThat(token.isExpired(1_700_000_599_999L, 0)).isFalse();
        assertThat(token.isExpired(1_700_000_600_000L, 0)).isTrue();
        assertThat(token.isExpired(1_700_000_600_000L, 5_000)).isFalse();
    }

    @Test
    void refusals() {
        String good = sign(published.getPrivate(), "k1", "RS256", CLAIMS);
        String[] parts = good.split("\\.");
        rejected(parts[0] + "." + b64(CLAIMS.replace("user-1", "user-2")) + "." + parts[2], Reason.BAD_SIGNATURE);
        rejected(sign(other.getPrivate(), "k1", "RS256", CLAIMS), Reason.BAD_SIGNATURE);
        rejected(sign(other.getPrivate(), "k9", "RS256", CLAIMS), Reason.UNKNOWN_KEY);
        rejected(sign(new HmacKey(published.getPublic().getEncoded()), "k1", "HS256", CLAIMS), Reason.UNSUPPORTED_ALGORITHM);
        rejected(b64("{\"alg\":\"none\",\"kid\":\"k1\"}") + "." + b64(CLAIMS) + ".", Reason.MALFORMED);
        rejected(b64("{\"alg\":\"none\",\"kid\":\"k1\"}") + "." + b64(CLAIMS) + ".AAAA", Reason.UNSUPPORTED_ALGORITHM);
        rejected(sign(published.getPrivate(), null, "RS256", CLAIMS), Reason.MALFORMED);
        rejected(sign(published.getPrivate(), "k1", "RS256", CLAIMS.replace("concert-queue", "evil")), Reason.WRONG_ISSUER);
        rejected(sign(published.getPrivate(), "k1", "RS256", CLAIMS.replace(",\"exp\":1700000600", "")), Reason.MALFORMED);
        rejected(sign(published.getPrivate(), "k1", "RS256", CLAIMS.replace("\"concertId\":42", "\"concertId\":\"x\"")), Reason.MALFORMED);
        rejected(sign(published.getPrivate(), "k1", "RS256", "[1,2]"), Reason.MALFORMED);
        rejected("abc", Reason.MALFORMED);
        rejected("a.b", Reason.MALFORMED);
        rejected("a..c", Reason.MALFORMED);
        rejected("a.b.c.d", Reason.MALFORMED);
        rejected("!!!.b.c", Reason.MALFORMED);
        rejected(parts[0] + "." + parts[1] + "." + parts[2].substring(0, 20), Reason.BAD_SIGNATURE);
        rejected("x".repeat(10_000), Reason.MALFORMED);
    }

    @Test
    void criticalHeaderExtensionsAreRefused() {
        String header = b64("{\"alg\":\"RS256\",\"kid\":\"k1\",\"crit\":[\"exp\"]}");
        rejected(header + "." + b64(CLAIMS) + ".AAAA", Reason.MALFORMED);
    }

    private void rejected(String jwt, Reason reason) {
        assertThatThrownBy(() -> verifier.verify(jwt, keys))
                .as(jwt.length() > 80 ? jwt.substring(0, 80) : jwt)
                .isInstanceOf(TokenRejectedException.class)
                .extracting(e -> ((TokenRejectedException) e).reason()).isEqualTo(reason);
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String sign(Key key, String kid, String alg, String payload) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(payload);
            jws.setKey(key);
            if (kid != null) {
                jws.setKeyIdHeaderValue(kid);
            }
            jws.setAlgorithmHeaderValue(alg);
            jws.setDoKeyValidation(false);
            jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unused")
    private static final String RS256 = AlgorithmIdentifiers.RSA_USING_SHA256;
}
