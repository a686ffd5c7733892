package io.concertticket.gateway.infrastructure;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.JsonFactory;
import io.concertticket.gateway.domain.AccessToken;
import io.concertticket.gateway.domain.TokenRejectedException;
import io.concertticket.gateway.domain.TokenRejectedException.Reason;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;

/**
 * Verifies the queue-service's access tokens: compact JWS, RS256 only, signature checked against the
 * published key named by {@code kid}, issuer checked. Expiry and revocation are the caller's, because a
 * verified token is cached and they must be checked on every use.
 *
 * <p>Plain JDK crypto and a streaming JSON read instead of a general JOSE library: exactly one algorithm
 * is accepted (no "none", no HMAC with a public key as secret), and the work per token is the RSA
 * verification plus two small parses. Thread-safe; {@link Signature} objects are reused per thread.
 */
public final class Rs256TokenVerifier {

    /** Tokens above this size are refused before any decoding (a real one is well under 1 KiB). */
    static final int MAX_TOKEN_LENGTH = 8192;

    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonReadFeature.ALLOW_JAVA_COMMENTS).build();
    private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();
    private static final ThreadLocal<Signature> SHA256_WITH_RSA = ThreadLocal.withInitial(() -> {
        try {
            return Signature.getInstance("SHA256withRSA");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no SHA256withRSA", e);
        }
    });

    private final String issuer;

    public Rs256TokenVerifier(String issuer) {
        this.issuer = issuer;
    }

    public AccessToken verify(String jwt, VerificationKeys keys) {
        if (jwt.length() > MAX_TOKEN_LENGTH) {
            throw malformed("the access token is too long");
        }
        int firstDot = jwt.indexOf('.');
        int secondDot = firstDot < 0 ? -1 : jwt.indexOf('.', firstDot + 1);
        if (firstDot <= 0 || secondDot <= firstDot + 1 || secondDot == jwt.length() - 1
                || jwt.indexOf('.', secondDot + 1) >= 0) {
            throw malformed("the access token is not a signed JWT (header.payload.signature)");
        }
        Header header = readHeader(decode(jwt, 0, firstDot, "header"));
        if (!"RS256".equals(header.alg)) {
            throw new TokenRejectedException(Reason.UNSUPPORTED_ALGORITHM,
                    "the access token must be signed with RS256, not " + (header.alg == null ? "nothing" : header.alg));
        }
        if (header.crit) {
            throw malformed("the access token has critical header extensions this gateway does not understand");
        }
        if (header.kid == null) {
            throw malformed("the access token header names no key id (kid)");
        }
        RSAPublicKey key = keys.get(header.kid);
        if (key == null) {
            throw new TokenRejectedException(Reason.UNKNOWN_KEY,
                    "the access token is signed with an unknown key (kid " + abbreviate(header.kid) + ")");
        }
        byte[] signature = decode(jwt, secondDot + 1, jwt.length(), "signature");
        if (!signatureVerifies(key, jwt, secondDot, signature)) {
            throw new TokenRejectedException(Reason.BAD_SIGNATURE, "the access token signature is not valid");
        }
        // Only a token with a valid signature gets its claims read.
        return readClaims(decode(jwt, firstDot + 1, secondDot, "payload"));
    }

    private static boolean signatureVerifies(RSAPublicKey key, String jwt, int signedLength, byte[] signature) {
        byte[] signed = new byte[signedLength];
        for (int i = 0; i < signedLength; i++) {
            char c = jwt.charAt(i);
            if (c > 0x7f) {
                return false;
            }
            signed[i] = (byte) c;
        }
        try {
            Signature verifier = SHA256_WITH_RSA.get();
            verifier.initVerify(key);
            verifier.update(signed);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // e.g. a signature of the wrong length
        }
    }

    private AccessToken readClaims(byte[] json) {
        String iss = null;
        String sub = null;
        String jti = null;
        Long concertId = null;
        Long exp = null;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw malformed("the access token payload is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "iss" -> iss = text(p, value);
                    case "sub" -> sub = text(p, value);
                    case "jti" -> jti = text(p, value);
                    case "concertId" -> concertId = integral(p, value);
                    case "exp" -> exp = numericDate(p, value);
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw malformed("the access token payload is not valid JSON");
        }
        if (!issuer.equals(iss)) {
            throw new TokenRejectedException(Reason.WRONG_ISSUER, "the access token was not issued by " + issuer);
        }
        if (exp == null) {
            throw malformed("the access token has no expiry (exp)");
        }
        if (sub == null || sub.isBlank() || jti == null || jti.isBlank() || concertId == null) {
            throw malformed("the access token lacks sub, jti or concertId");
        }
        long expMillis = exp > Long.MAX_VALUE / 1000L ? Long.MAX_VALUE : exp * 1000L;
        return new AccessToken(sub, concertId, jti, expMillis);
    }

    private static Header readHeader(byte[] json) {
        Header h = new Header();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw malformed("the access token header is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "alg" -> h.alg = text(p, value);
                    case "kid" -> h.kid = text(p, value);
                    case "crit" -> {
                        h.crit = true;
                        p.skipChildren();
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw malformed("the access token header is not valid JSON");
        }
        return h;
    }

    private static String text(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            p.skipChildren();
            return null;
        }
        return p.getText();
    }

    private static Long integral(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.VALUE_NUMBER_INT) {
            p.skipChildren();
            return null;
        }
        return p.getLongValue();
    }

    /** A JWT NumericDate: seconds, possibly fractional (RFC 7519); fractions are truncated. */
    private static Long numericDate(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_FLOAT) {
            double seconds = p.getDoubleValue();
            return Double.isFinite(seconds) ? (long) seconds : null;
        }
        return integral(p, value);
    }

    private static byte[] decode(String jwt, int from, int to, String part) {
        try {
            return BASE64URL.decode(jwt.substring(from, to));
        } catch (IllegalArgumentException e) {
            throw malformed("the access token " + part + " is not base64url");
        }
    }

    private static TokenRejectedException malformed(String detail) {
        return new TokenRejectedException(Reason.MALFORMED, detail);
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }

    private static final class Header {
        String alg;
        String kid;
        boolean crit;
    }
}
