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
import java.util.List;
import java.util.UUID;

/**
 * The two credentials a client sends: identity tokens as the fake identity provider of {@link FakeServices}
 * issues them (audience concert-api, roles claim), and admission tokens as queue-service issues them
 * (docs/identity.md), signed with the fakes' keys or others.
 */
public final class Tokens {

    public static final String AUDIENCE = "concert-api";

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

    /** The fake identity provider's signing key ({@code idp-1}). */
    public static PrivateKey identityProviderKey() {
        return privateKey("test.fake.idp-key");
    }

    public static String issuer() {
        return ConfigProvider.getConfig().getValue("test.fake.issuer", String.class);
    }

    /** A valid identity token of {@code account} with these roles. */
    public static String identity(String account, String... roles) {
        return sign(identityProviderKey(), "idp-1", AlgorithmIdentifiers.RSA_USING_SHA256,
                identityClaims(issuer(), AUDIENCE, account, 300, roles));
    }

    /** {@code Authorization} header value of a valid identity token. */
    public static String bearer(String account, String... roles) {
        return "Bearer " + identity(account, roles);
    }

    public static JwtClaims identityClaims(String issuer, String audience, String account, long expiresInSeconds,
                                           String... roles) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(audience);
        claims.setSubject(account);
        claims.setClaim("preferred_username", "user-" + account);
        claims.setStringListClaim("roles", List.of(roles));
        claims.setIssuedAtToNow();
        claims.setGeneratedJwtId();
        NumericDate exp = NumericDate.now();
        exp.addSeconds(expiresInSeconds);
        claims.setExpirationTime(exp);
        return claims;
    }

    /** A valid admission token of {@code account} for {@code concertId}. */
    public static String admission(String account, long concertId, UUID tokenId) {
        return sign(key1(), "k1", AlgorithmIdentifiers.RSA_USING_SHA256, claims("concert-queue", account, concertId, tokenId, 600));
    }

    /** Admission-token claims. */
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
            if (kid != null) {
                jws.setKeyIdHeaderValue(kid);
            }
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
