package io.concertticket.gateway.infrastructure;

import io.concertticket.gateway.application.AuthenticateAccessToken;
import io.concertticket.gateway.domain.ClientRateLimiter;
import io.concertticket.gateway.domain.RevokedTokens;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Keeps the gateway's in-memory state bounded by time: expired tokens leave the verified-token cache,
 * revocations of tokens that have expired anyway are forgotten, idle clients leave the rate limiter.
 */
@ApplicationScoped
public class Housekeeping {

    private static final long PERIOD_MILLIS = 30_000;

    private final Vertx vertx;
    private final AuthenticateAccessToken authenticate;
    private final RevokedTokens revoked;
    private final ClientRateLimiter rateLimiter;
    private long timer = -1;

    public Housekeeping(Vertx vertx, AuthenticateAccessToken authenticate, RevokedTokens revoked,
                        ClientRateLimiter rateLimiter) {
        this.vertx = vertx;
        this.authenticate = authenticate;
        this.revoked = revoked;
        this.rateLimiter = rateLimiter;
    }

    void onStart(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(PERIOD_MILLIS, id -> sweep());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    void sweep() {
        long now = System.currentTimeMillis();
        authenticate.sweepExpired(now);
        revoked.forgetExpired(now);
        rateLimiter.forgetIdle(System.nanoTime());
    }
}
