package io.concertticket.gateway.infrastructure;

import io.concertticket.gateway.domain.RevokedTokens;
import io.concertticket.gateway.domain.VerificationKeys;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.TreeSet;

/**
 * The gateway is ready to take traffic once it can judge credentials: it has the identity provider's keys,
 * queue-service's admission-token keys, and has replayed the recent revocations (Kafka itself is checked
 * by the Kafka health check). A replica that has them keeps judging tokens locally when the identity
 * provider goes away later, so that does not make it unready.
 */
@Readiness
@ApplicationScoped
public class GatewayReadiness implements HealthCheck {

    private final IdentityProviderKeys identityProvider;
    private final JwksKeySource keys;
    private final TokenEventsReplay replay;
    private final RevokedTokens revoked;

    public GatewayReadiness(IdentityProviderKeys identityProvider, JwksKeySource keys,
                            @Identifier(TokenEventsReplay.NAME) TokenEventsReplay replay, RevokedTokens revoked) {
        this.identityProvider = identityProvider;
        this.keys = keys;
        this.replay = replay;
        this.revoked = revoked;
    }

    @Override
    public HealthCheckResponse call() {
        boolean identityKeys = identityProvider.loaded();
        VerificationKeys current = keys.current();
        boolean admissionKeys = !current.isEmpty();
        boolean caughtUp = replay.caughtUp();
        return HealthCheckResponse.named("credentials")
                .status(identityKeys && admissionKeys && caughtUp)
                .withData("identityProviderKeys", identityKeys)
                .withData("admissionSigningKeys", current.byKeyId().size())
                // which keys this replica trusts, so an operator rotating queue-service's key can see every gateway has the next one
                .withData("admissionSigningKeyIds", String.join(",", new TreeSet<>(current.byKeyId().keySet())))
                .withData("revocationsReplayed", caughtUp)
                .withData("revokedTokens", revoked.size())
                .build();
    }
}
