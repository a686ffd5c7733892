package io.concertticket.gateway.infrastructure;

import io.quarkus.oidc.runtime.TenantConfigBean;
import io.quarkus.oidc.runtime.TenantConfigContext;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Whether the identity provider's discovery document and keys are loaded, and loading them until they are.
 * quarkus-oidc tries once at start; when the provider is unreachable then, the gateway still starts, is not
 * ready (it could not judge a single identity token) and retries here in the background with a growing
 * delay, one attempt at a time, instead of letting every request try to reach the provider. Once loaded,
 * keys stay loaded; an unknown {@code kid} later refetches them (quarkus-oidc).
 *
 * <p>Uses quarkus-oidc's {@link TenantConfigBean}, the same view of the default tenant as its own
 * readiness check (which would call the provider on every probe).
 */
@ApplicationScoped
public class IdentityProviderKeys {

    private static final Logger LOG = Logger.getLogger(IdentityProviderKeys.class);
    private static final long FIRST_RETRY_MILLIS = 500;

    private final TenantConfigBean tenants;
    private final Vertx vertx;
    private final long maxRetryMillis;
    private volatile boolean stopped;

    public IdentityProviderKeys(TenantConfigBean tenants, Vertx vertx, GatewayConfig config) {
        this.tenants = tenants;
        this.vertx = vertx;
        this.maxRetryMillis = config.identity().maxRetryInterval().toMillis();
    }

    void onStart(@Observes StartupEvent event) {
        if (!loaded()) {
            LOG.warn("The identity provider is not reachable yet; not ready until its keys are loaded");
            vertx.setTimer(FIRST_RETRY_MILLIS, id -> retry(FIRST_RETRY_MILLIS));
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
    }

    public boolean loaded() {
        return tenants.getDefaultTenant().ready();
    }

    private void retry(long delayMillis) {
        if (stopped || loaded()) {
            return;
        }
        TenantConfigContext tenant = tenants.getDefaultTenant();
        tenant.initialize().subscribe().with(
                ctx -> next(delayMillis),
                failure -> {
                    LOG.debugf("Identity provider still unreachable: %s", failure.getMessage());
                    next(delayMillis);
                });
    }

    private void next(long delayMillis) {
        if (loaded()) {
            LOG.info("Identity provider keys loaded");
            return;
        }
        long nextDelay = Math.min(maxRetryMillis, delayMillis * 2);
        if (!stopped) {
            vertx.setTimer(nextDelay, id -> retry(nextDelay));
        }
    }
}
