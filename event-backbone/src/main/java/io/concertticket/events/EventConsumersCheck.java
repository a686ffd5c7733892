package io.concertticket.events;

import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * {@code /q/health/well}: warns while a consumed event keeps failing (see {@link ConsumerRetries}). Wellness,
 * not readiness or liveness: the pod still serves requests, and a restart would not bring a database back.
 */
@Wellness
@ApplicationScoped
public class EventConsumersCheck implements HealthCheck {

    private final ConsumerRetries retries;

    EventConsumersCheck(ConsumerRetries retries) {
        this.retries = retries;
    }

    @Override
    public HealthCheckResponse call() {
        return retries.report();
    }
}
