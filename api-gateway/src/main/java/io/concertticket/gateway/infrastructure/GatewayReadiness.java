package io.concertticket.gateway.infrastructure;

import io.concertticket.gateway.domain.RevokedTokens;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The gateway is ready to take traffic once it can judge access tokens: it has the signing keys and
 * has replayed the recent revocations (Kafka itself is checked by the Kafka health check).
 */
@Readiness
@ApplicationScoped
public class GatewayReadiness implements HealthCheck {

    private final JwksKeySource keys;
    private final TokenEventsReplay replay;
    private final RevokedTokens revoked;

    public GatewayReadiness(JwksKeySource keys, @Identifier(TokenEventsReplay.NAME) TokenEventsReplay replay, RevokedTokens revoked) {
        this.keys = keys;
        this.replay = replay;
        this.revoked = revoked;
    }

    @Override
    public HealthCheckResponse call() {
        VerificationKeys current = keys.current();
        boolean keysLoaded = !current.isEmpty();
        boolean caughtUp = replay.caughtUp();
        return HealthCheckResponse.named("access-tokens")
                .status(keysLoaded && caughtUp)
                .withData("signingKeys", current.byKeyId().size())
                .withData("revocationsReplayed", caughtUp)
                .withData("revokedTokens", revoked.size())
                .build();
    }
}
