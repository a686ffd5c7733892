package io.concertticket.gateway.benchmark;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.build.Jwt;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not a test: measures and prints, asserts nothing about speed. Run on demand (issue 17, the first request of an
 * account through the gateway):
 * {@code ./mvnw -o -pl api-gateway verify -Dgroups=benchmark -Dexcluded-test-groups=none -Dtest=TokenCryptoBenchmark}
 *
 * <p>The token work of an account's first request, each piece alone, in <b>CPU time of the measuring thread</b> per
 * operation (the machine is shared, wall time is printed beside it): verifying an identity token as quarkus-oidc does
 * it underneath (jose4j, RS256), signing a hop token with SmallRye JWT's builder (the gateway until issue 17) and
 * with the JDK's {@link Signature} over a prepared header and claims (the gateway since), each with RS256 (2048-bit),
 * ES256 (P-256) and EdDSA (Ed25519); and verifying each hop token as a service does (SmallRye JWT's parser, the
 * algorithm pinned as {@code mp.jwt.verify.publickey.algorithm} pins it), and its signature alone with the JDK.
 * Every token verified is a different one: nothing is cached.
 * No Quarkus, no infrastructure.
 */
@Tag("benchmark")
class TokenCryptoBenchmark {

    private static final int OPS = Integer.getInteger("bench.ops", 2_000);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final String ISSUER = "concert-gateway";
    private static final String AUDIENCE = "queue-service";

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<String, double[]> results = new LinkedHashMap<>();

    @Test
    void tokenCrypto() throws Exception {
        KeyPair rsa = generate("RSA", 2048);
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair p256 = ec.generateKeyPair();
        KeyPair ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair identityProvider = generate("RSA", 2048);

        for (int round = 1; round <= ROUNDS; round++) {
            boolean last = round == ROUNDS; // the earlier rounds warm the JIT compiler up
            identityTokenVerification(identityProvider, last);
            for (Alg alg : List.of(new Alg("RS256", SignatureAlgorithm.RS256, "SHA256withRSA", rsa),
                    new Alg("ES256", SignatureAlgorithm.ES256, "SHA256withECDSAinP1363Format", p256),
                    new Alg("EdDSA", SignatureAlgorithm.EDDSA, "Ed25519", ed25519))) {
                hopTokens(alg, last);
            }
        }
        StringBuilder report = new StringBuilder("BENCHMARK token crypto, per operation (CPU of the thread / wall), "
                + OPS + " operations, JDK " + Runtime.version() + ":\n");
        results.forEach((name, r) -> report.append(String.format("BENCHMARK   %-72s %8.1f µs CPU  %8.1f µs wall%n",
                name, r[0], r[1])));
        System.out.print(report);
        assertThat(results).isNotEmpty();
    }

    private record Alg(String name, SignatureAlgorithm smallrye, String jdk, KeyPair keys) {
    }

    /** Identity tokens shaped like Keycloak's access tokens, verified as quarkus-oidc's JwtConsumer does. */
    private void identityTokenVerification(KeyPair idp, boolean record) throws Exception {
        String issuer = "http://127.0.0.1:8180/realms/concert";
        List<String> tokens = prepare(i -> keycloakLike(idp, issuer, "user-" + i));
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setRequireSubject()
                .setExpectedIssuer(issuer)
                .setExpectedAudience("concert-api")
                .setAllowedClockSkewInSeconds(5)
                .setVerificationKey(idp.getPublic())
                .setJwsAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256))
                .build();
        measure(record, "identity token: verify RS256 (jose4j JwtConsumer, as under quarkus-oidc)", i -> {
            try {
                return consumer.processToClaims(tokens.get(i)).getSubject();
            } catch (InvalidJwtException | org.jose4j.jwt.MalformedClaimException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private void hopTokens(Alg alg, boolean record) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        List<String> signed = new ArrayList<>(OPS);
        measure(record, "hop token: sign " + alg.name + " (SmallRye JWT build, the gateway before issue 17)", i -> {
            String jwt = Jwt.issuer(ISSUER).audience(AUDIENCE).subject("account-" + i).groups(Set.of("user"))
                    .issuedAt(now).expiresAt(now + 300)
                    .claim("concert_id", 7L).claim("admission_id", UUID.randomUUID().toString())
                    .jws().algorithm(alg.smallrye).sign(alg.keys.getPrivate());
            signed.add(jwt);
            return jwt;
        });
        String header = b64("{\"alg\":\"" + alg.name + "\",\"typ\":\"JWT\"}");
        Signature signer = Signature.getInstance(alg.jdk);
        measure(record, "hop token: sign " + alg.name + " (JDK Signature on header.claims, as the gateway)", i -> {
            String claims = b64("{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"account-" + i
                    + "\",\"groups\":[\"user\"],\"iat\":" + now + ",\"exp\":" + (now + 300) + "}");
            String input = header + '.' + claims;
            try {
                signer.initSign(alg.keys.getPrivate());
                signer.update(input.getBytes(StandardCharsets.US_ASCII));
                return input + '.' + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
        Signature verifier = Signature.getInstance(alg.jdk);
        measure(record, "hop token: verify " + alg.name + " signature alone (JDK Signature)", i -> {
            String jwt = signed.get(i);
            int dot = jwt.lastIndexOf('.');
            try {
                verifier.initVerify(alg.keys.getPublic());
                verifier.update(jwt.substring(0, dot).getBytes(StandardCharsets.US_ASCII));
                return verifier.verify(Base64.getUrlDecoder().decode(jwt.substring(dot + 1)));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
        JWTAuthContextInfo context = new JWTAuthContextInfo(alg.keys.getPublic(), ISSUER);
        context.setExpectedAudience(Set.of(AUDIENCE));
        context.setSignatureAlgorithm(Set.of(alg.smallrye));
        context.setClockSkew(5);
        DefaultJWTParser parser = new DefaultJWTParser(context);
        measure(record, "hop token: verify " + alg.name + " in a service (SmallRye JWT DefaultJWTParser)", i -> {
            try {
                JsonWebToken token = parser.parse(signed.get(i));
                return token.getSubject();
            } catch (ParseException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private void measure(boolean record, String name, IntFunction<Object> op) {
        long cpu = threads.getCurrentThreadCpuTime();
        long wall = System.nanoTime();
        int sink = 0;
        for (int i = 0; i < OPS; i++) {
            sink += op.apply(i).hashCode();
        }
        long cpuNanos = threads.getCurrentThreadCpuTime() - cpu;
        long wallNanos = System.nanoTime() - wall;
        if (record) {
            results.put(name, new double[] {cpuNanos / 1e3 / OPS, wallNanos / 1e3 / OPS});
        }
        if (sink == 42) {
            System.out.print(""); // keeps the results alive
        }
    }

    private static List<String> prepare(IntFunction<String> token) {
        List<String> tokens = new ArrayList<>(OPS);
        for (int i = 0; i < OPS; i++) {
            tokens.add(token.apply(i));
        }
        return tokens;
    }

    private static String keycloakLike(KeyPair idp, String issuer, String subject) {
        long now = System.currentTimeMillis() / 1000;
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience("concert-api", "account");
        claims.setSubject(UUID.nameUUIDFromBytes(subject.getBytes(StandardCharsets.UTF_8)).toString());
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(5);
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setClaim("typ", "Bearer");
        claims.setClaim("azp", "concert-web");
        claims.setClaim("sid", UUID.randomUUID().toString());
        claims.setClaim("acr", "1");
        claims.setStringListClaim("roles", "user", "offline_access", "uma_authorization");
        claims.setClaim("scope", "openid profile email");
        claims.setClaim("email_verified", false);
        claims.setClaim("preferred_username", subject);
        claims.setClaim("auth_time", now);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(idp.getPrivate());
        jws.setKeyIdHeaderValue("idp-key");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair generate(String algorithm, int size) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        generator.initialize(size);
        return generator.generateKeyPair();
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
