package io.concertticket.gateway.infrastructure;

import io.concertticket.gateway.application.HopTokenSigner;
import io.concertticket.gateway.domain.HopGrant;
import io.concertticket.identity.HopToken;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.quarkus.runtime.Startup;
import io.smallrye.jwt.util.KeyUtils;
import io.smallrye.jwt.util.ResourceUtils;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.PrivateKey;

/**
 * Signs hop tokens (RS256, SmallRye JWT) with the gateway's private key, claims exactly as
 * service-identity's {@link HopToken} says: {@code iss}, {@code aud} = the service, {@code sub},
 * {@code groups}, and {@link HopToken#CONCERT_CLAIM} / {@link HopToken#ADMISSION_CLAIM} only with a verified admission.
 */
@ApplicationScoped
@Startup // a missing or unreadable key stops the start, instead of failing the first signed-in request
public class Rs256HopTokenSigner implements HopTokenSigner {

    private final PrivateKey key;
    private final String issuer;

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

    @Override
    public String sign(HopGrant grant, long issuedAtSeconds, long expiresAtSeconds) {
        JwtClaimsBuilder claims = Jwt.issuer(issuer)
                .audience(grant.audience().serviceName())
                .subject(grant.account().id())
                .groups(grant.account().roles())
                .issuedAt(issuedAtSeconds)
                .expiresAt(expiresAtSeconds);
        if (grant.admission() != null) {
            claims.claim(HopToken.CONCERT_CLAIM, grant.admission().concertId())
                    .claim(HopToken.ADMISSION_CLAIM, grant.admission().tokenId());
        }
        return claims.jws().sign(key);
    }
}
