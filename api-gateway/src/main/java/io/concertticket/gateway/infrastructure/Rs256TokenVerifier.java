package io.concertticket.gateway.infrastructure;

import io.concertticket.gateway.application.AdmissionTokenVerifier;
import io.concertticket.gateway.domain.AdmissionToken;
import io.concertticket.gateway.domain.CompactJws;
import io.concertticket.gateway.domain.TokenRejectedException;
import io.concertticket.gateway.domain.TokenRejectedException.Reason;
import io.concertticket.gateway.domain.VerificationKeys;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwx.HeaderParameterNames;
import org.jose4j.lang.JoseException;

import java.security.interfaces.RSAPublicKey;

/**
 * Verifies the queue-service's admission tokens with jose4j: compact JWS, RS256 only, signature checked
 * against the published key named by {@code kid}, issuer checked. Expiry and revocation are the
 * caller's, because a verified token is cached and they must be checked on every use.
 *
 * <p>The steps are spelled out (rather than one {@code JwtConsumer}) so that each refusal carries
 * the reason the client is told: unknown key, bad signature, wrong algorithm, wrong issuer, malformed.
 * Only a token whose signature verified has its claims read. Thread-safe: no shared mutable state.
 */
public final class Rs256TokenVerifier implements AdmissionTokenVerifier {

    private static final AlgorithmConstraints RS256_ONLY = new AlgorithmConstraints(
            AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256);

    private final String issuer;

    public Rs256TokenVerifier(String issuer) {
        this.issuer = issuer;
    }

    @Override
    public AdmissionToken verify(String jwt, VerificationKeys keys) {
        if (!CompactJws.looksLikeOne(jwt)) {
            throw malformed("the admission token is not a signed JWT (header.payload.signature)");
        }
        JsonWebSignature jws = new JsonWebSignature();
        try {
            jws.setCompactSerialization(jwt);
        } catch (JoseException e) {
            throw malformed("the admission token is not a signed JWT (header.payload.signature)");
        }
        String alg = jws.getAlgorithmHeaderValue();
        if (!AlgorithmIdentifiers.RSA_USING_SHA256.equals(alg)) {
            throw new TokenRejectedException(Reason.UNSUPPORTED_ALGORITHM,
                    "the admission token must be signed with RS256, not " + (alg == null ? "nothing" : alg));
        }
        if (jws.getHeaders().getObjectHeaderValue(HeaderParameterNames.CRITICAL) != null) {
            throw malformed("the admission token has critical header extensions this gateway does not understand");
        }
        String kid = jws.getKeyIdHeaderValue();
        if (kid == null) {
            throw malformed("the admission token header names no key id (kid)");
        }
        RSAPublicKey key = keys.get(kid);
        if (key == null) {
            throw new TokenRejectedException(Reason.UNKNOWN_KEY,
                    "the admission token is signed with an unknown key (kid " + abbreviate(kid) + ")");
        }
        jws.setAlgorithmConstraints(RS256_ONLY);
        jws.setKey(key);
        if (!signatureVerifies(jws)) {
            throw new TokenRejectedException(Reason.BAD_SIGNATURE, "the admission token signature is not valid");
        }
        return readClaims(jws, kid);
    }

    private static boolean signatureVerifies(JsonWebSignature jws) {
        try {
            return jws.verifySignature();
        } catch (JoseException e) {
            return false; // e.g. a signature of the wrong length
        }
    }

    private AdmissionToken readClaims(JsonWebSignature verified, String kid) {
        JwtClaims claims;
        try {
            // the signature was verified just above; getPayload() would verify it a second time
            claims = JwtClaims.parse(verified.getUnverifiedPayload());
        } catch (InvalidJwtException e) {
            throw malformed("the admission token payload is not a JSON object");
        }
        try {
            if (!issuer.equals(claims.getIssuer())) {
                throw new TokenRejectedException(Reason.WRONG_ISSUER, "the admission token was not issued by " + issuer);
            }
            NumericDate exp = claims.getExpirationTime();
            if (exp == null) {
                throw malformed("the admission token has no expiry (exp)");
            }
            String sub = claims.getSubject();
            String jti = claims.getJwtId();
            Object concertId = claims.getClaimValue("concertId");
            if (sub == null || sub.isBlank() || jti == null || jti.isBlank()
                    || !(concertId instanceof Long || concertId instanceof Integer)) {
                throw malformed("the admission token lacks sub, jti or concertId");
            }
            return new AdmissionToken(sub, ((Number) concertId).longValue(), jti, exp.getValueInMillis(), kid);
        } catch (MalformedClaimException e) {
            throw malformed("the admission token has a claim of the wrong type: " + e.getMessage());
        }
    }

    private static TokenRejectedException malformed(String detail) {
        return new TokenRejectedException(Reason.MALFORMED, detail);
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
