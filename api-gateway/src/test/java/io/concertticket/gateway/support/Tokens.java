package io.concertticket.gateway.support;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.UUID;

/** Access tokens as queue-service issues them (docs/contracts.md), signed with the fake's keys or others. */
public final class Tokens {

    private Tokens() {
    }

    /** The key published as {@code k1} from the start. */
    public static PrivateKey key1() {
        return privateKey("test.fake.key1");
    }

    /** The key published as {@code k2} only after the fake's keys are rotated. */
    public static PrivateKey key2() {
        return privateKey("test.fake.key2");
    }

    public static String valid(String userId, long concertId, UUID tokenId) {
        return sign(key1(), "k1", AlgorithmIdentifiers.RSA_USING_SHA256, claims("concert-queue", userId, concertId, tokenId, 600));
    }

    public static JwtClaims claims(String issuer, String userId, long concertId, UUID tokenId, long expiresInSeconds) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject(userId);
        claims.setClaim("concertId", concertId);
        claims.setJwtId(tokenId.toString());
        claims.setIssuedAtToNow();
        NumericDate exp = NumericDate.now();
        exp.addSeconds(expiresInSeconds);
        claims.setExpirationTime(exp);
        return claims;
    }

    public static String sign(Key key, String kid, String algorithm, JwtClaims claims) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(key);
            jws.setKeyIdHeaderValue(kid);
            jws.setAlgorithmHeaderValue(algorithm);
            jws.setDoKeyValidation(false);
            jws.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivateKey privateKey(String property) {
        try {
            byte[] der = Base64.getDecoder().decode(ConfigProvider.getConfig().getValue(property, String.class));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
