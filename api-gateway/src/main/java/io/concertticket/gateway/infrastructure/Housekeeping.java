package io.concertticket.gateway.infrastructure;

import io.concertticket.gateway.domain.RevokedTokens;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Keeps the revocations bounded by time: revocations of admission tokens that have expired anyway are
 * forgotten. (The caches and rate limits are Caffeine caches that bound themselves.)
 */
@ApplicationScoped
public class Housekeeping {

    private static final long PERIOD_MILLIS = 30_000;

    private final Vertx vertx;
    private final RevokedTokens revoked;
    private long timer = -1;

    public Housekeeping(Vertx vertx, RevokedTokens revoked) {
        this.vertx = vertx;
        this.revoked = revoked;
    }

    void onStart(@Observes StartupEvent event) {
        // a Vert.x timer, not @Scheduled: the gateway does its work on Vert.x and has no scheduler extension, and a
        // sweep of an in-memory map does not block the event loop
        timer = vertx.setPeriodic(PERIOD_MILLIS, id -> sweep());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    void sweep() {
        revoked.forgetExpired(System.currentTimeMillis());
    }
}
