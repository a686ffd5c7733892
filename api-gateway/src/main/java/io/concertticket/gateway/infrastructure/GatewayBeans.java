package io.concertticket.gateway.infrastructure;

import io.concertticket.gateway.domain.ClientRateLimiter;
import io.concertticket.gateway.domain.RevokedTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The plain objects the gateway shares between requests and consumers, built from its configuration. */
@ApplicationScoped
public class GatewayBeans {

    @Produces
    @Singleton
    RevokedTokens revokedTokens() {
        return new RevokedTokens();
    }

    @Produces
    @Singleton
    ClientRateLimiter rateLimiter(GatewayConfig config) {
        GatewayConfig.RateLimit limit = config.rateLimit();
        return new ClientRateLimiter(limit.requestsPerSecond(), limit.burst(), limit.maxClients());
    }

    /** The admission tokens' verifier: it holds no state but the one accepted issuer. */
    @Produces
    @Singleton
    Rs256TokenVerifier admissionTokenVerifier(GatewayConfig config) {
        return new Rs256TokenVerifier(config.jwt().issuer());
    }
}
