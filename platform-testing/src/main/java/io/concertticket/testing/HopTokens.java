package io.concertticket.testing;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hop tokens as the gateway signs them (see service-identity's HopToken), for tests that call a service
 * directly. Signed with the test key pair in this jar: a service under test verifies them with
 * {@code mp.jwt.verify.publickey.location=hop-token-test-public.pem}. Never used outside tests; the load
 * tests sign with the key of the local run they measure ({@link #privateKey}).
 *
 * <pre>given().auth().oauth2(HopTokens.forAccount("alice").admittedTo(7, tokenId).audience("concert-service").sign())</pre>
 */
public final class HopTokens {

    public static final String TEST_PRIVATE_KEY = "hop-token-test-private.pem";
    public static final String ISSUER = "concert-gateway";

    private static final PrivateKey KEY = loadPrivateKey();
    private static final long REUSE_MIN_LIFETIME_SECONDS = 60;
    private static final int REUSE_MAX_TOKENS = 100_000;
    private static final Map<Claims, Signed> SIGNED = new ConcurrentHashMap<>();

    private record Claims(String issuer, String audience, String account, List<String> roles, Long concertId,
                          UUID admissionId, long lifetimeSeconds) {
    }

    private record Signed(String jwt, long expiresAtSecond) {
    }

    private final String account;
    private String audience;
    private String issuer = ISSUER;
    private List<String> roles = List.of();
    private Long concertId;
    private UUID admissionId;
    private long lifetimeSeconds = 60;
    private PrivateKey key = KEY;

    private HopTokens(String account) {
        this.account = account;
    }

    public static HopTokens forAccount(String account) {
        return new HopTokens(account);
    }

    public HopTokens audience(String service) {
        this.audience = service;
        return this;
    }

    public HopTokens roles(String... roles) {
        this.roles = List.of(roles);
        return this;
    }

    public HopTokens admittedTo(long concertId, UUID admissionId) {
        this.concertId = concertId;
        this.admissionId = admissionId;
        return this;
    }

    public HopTokens issuer(String issuer) {
        this.issuer = issuer;
        return this;
    }

    /** Negative for a token that expired that many seconds ago. */
    public HopTokens lifetimeSeconds(long seconds) {
        this.lifetimeSeconds = seconds;
        return this;
    }

    /** Sign with another key (an attacker's), to prove it is refused. */
    public HopTokens signedWith(PrivateKey other) {
        this.key = other;
        return this;
    }

    /**
     * A hop token with these claims. Tokens signed with the test key for 60 s or more are reused while more than
     * half their lifetime is left, as the gateway reuses a grant's hop token: a test that polls a thousand times as
     * one account signs once, not a thousand times (an RSA-2048 signature is ~1.5 ms of CPU, and signing was a
     * seventh of queue-service's test JVM). Expired, short-lived and foreign-key tokens are signed every time.
     */
    public String sign() {
        if (key != KEY || lifetimeSeconds < REUSE_MIN_LIFETIME_SECONDS) {
            return signNow();
        }
        Claims claims = new Claims(issuer, audience, account, roles, concertId, admissionId, lifetimeSeconds);
        long now = System.currentTimeMillis() / 1000;
        Signed signed = SIGNED.get(claims);
        if (signed == null || signed.expiresAtSecond() - now <= lifetimeSeconds / 2) {
            if (SIGNED.size() >= REUSE_MAX_TOKENS) {
                SIGNED.clear();
            }
            signed = new Signed(signNow(), now + lifetimeSeconds);
            SIGNED.put(claims, signed);
        }
        return signed.jwt();
    }

    private String signNow() {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        if (audience != null) {
            claims.setAudience(audience);
        }
        claims.setSubject(account);
        long now = System.currentTimeMillis() / 1000;
        claims.setIssuedAt(org.jose4j.jwt.NumericDate.fromSeconds(Math.min(now, now + lifetimeSeconds - 1)));
        claims.setExpirationTime(org.jose4j.jwt.NumericDate.fromSeconds(now + lifetimeSeconds));
        claims.setStringListClaim("groups", roles);
        if (concertId != null) {
            claims.setClaim("concert_id", concertId);
            claims.setClaim("admission_id", admissionId.toString());
        }
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The private key of a local run's key pair (PKCS#8 PEM, as local-infra writes it to
     * {@code <data dir>/keys/hop-token-private.pem}), for {@link #signedWith}: the load tests call a service of a
     * platform started by {@code ./run.sh} directly, as its gateway would (production mounts its key from a Secret).
     */
    public static PrivateKey privateKey(Path pem) {
        try {
            return decode(Files.readString(pem, StandardCharsets.US_ASCII));
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the hop-token private key " + pem, e);
        }
    }

    private static PrivateKey loadPrivateKey() {
        try (InputStream in = HopTokens.class.getClassLoader().getResourceAsStream(TEST_PRIVATE_KEY)) {
            if (in == null) {
                throw new IllegalStateException(TEST_PRIVATE_KEY + " is not on the class path");
            }
            return decode(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot read " + TEST_PRIVATE_KEY, e);
        }
    }

    private static PrivateKey decode(String pem) throws java.security.GeneralSecurityException {
        String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}
