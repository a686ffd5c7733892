package io.concertticket.gateway.infrastructure;

import io.concertticket.gateway.application.HopTokenSigner;
import io.concertticket.gateway.domain.HopGrant;
import io.concertticket.identity.HopToken;
import io.quarkus.runtime.Startup;
import io.smallrye.jwt.util.KeyUtils;
import io.smallrye.jwt.util.ResourceUtils;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.List;

/**
 * Signs hop tokens (RS256) with the gateway's private key, claims exactly as service-identity's {@link HopToken}
 * says: {@code iss}, {@code aud} = the service, {@code sub}, {@code groups}, {@code iat}, {@code exp}, and
 * {@link HopToken#CONCERT_CLAIM} / {@link HopToken#ADMISSION_CLAIM} only with a verified admission.
 *
 * <p>The JDK's {@link Signature} over a fixed header and the claims as JSON (Vert.x's encoder escapes them), not
 * SmallRye JWT's builder: on an account's first request the builder's per-token configuration lookups, claim
 * objects and {@code jti} cost about a sixth of the signature again (issue 17, docs/performance.md). The RSA
 * signature itself is most of a first request's gateway CPU; ES256 would sign for less but verifies for far more
 * in every service (TokenCryptoBenchmark), so RS256 stays.
 */
@ApplicationScoped
@Startup // a missing or unreadable key stops the start, instead of failing the first signed-in request
public class Rs256HopTokenSigner implements HopTokenSigner {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER = BASE64URL.encodeToString(
            "{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.US_ASCII));

    private final PrivateKey key;
    private final String issuer;

    @Inject // two constructors: this one is the bean's
    public Rs256HopTokenSigner(GatewayConfig config) {
        String location = config.hopToken().privateKeyLocation();
        try {
            // ResourceUtils reads a file path, file: or classpath: (KeyUtils.readPrivateKey only the class path)
            String pem = ResourceUtils.readResource(location);
            this.key = pem == null ? null : KeyUtils.decodePrivateKey(pem);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the hop-token private key (PKCS#8 PEM) at " + location
                    + " (gateway.hop-token.private-key-location, HOP_TOKEN_PRIVATE_KEY_LOCATION)", e);
        }
        if (key == null) {
            throw new IllegalStateException("No hop-token private key at " + location
                    + " (gateway.hop-token.private-key-location, HOP_TOKEN_PRIVATE_KEY_LOCATION)");
        }
        this.issuer = config.hopToken().issuer();
    }

    Rs256HopTokenSigner(PrivateKey key, String issuer) {
        this.key = key;
        this.issuer = issuer;
    }

    @Override
    public String sign(HopGrant grant, long issuedAtSeconds, long expiresAtSeconds) {
        JsonObject claims = new JsonObject()
                .put("iss", issuer)
                .put("aud", grant.audience().serviceName())
                .put("sub", grant.account().id())
                .put(HopToken.ROLES_CLAIM, new JsonArray(List.copyOf(grant.account().roles())))
                .put("iat", issuedAtSeconds)
                .put("exp", expiresAtSeconds);
        if (grant.admission() != null) {
            claims.put(HopToken.CONCERT_CLAIM, grant.admission().concertId())
                    .put(HopToken.ADMISSION_CLAIM, grant.admission().tokenId());
        }
        String signingInput = HEADER + '.' + BASE64URL.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA"); // not thread-safe: one per signature
            rsa.initSign(key);
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + '.' + BASE64URL.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a hop token with the configured key", e);
        }
    }
}
