package io.concertticket.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records that keep failing for a transient reason, as an operator sees them:
 * <ul>
 *   <li>{@code events_consumer_failures_total{type}}: failed attempts (each is retried);</li>
 *   <li>{@code events_consumer_retrying}: records being retried right now (0 when all is well);</li>
 *   <li>{@code events_consumer_oldest_retry_age_seconds}: how long the oldest of them has been failing;</li>
 *   <li>the wellness check {@code event-consumers} ({@code /q/health/well}, {@link EventConsumersCheck}): DOWN while a record has been
 *       failing for longer than {@code event-backbone.consumer.warn-after}, with its type, id and error.</li>
 * </ul>
 */
@ApplicationScoped
public class ConsumerRetries {

    /** One record's run of failures, from its first failed attempt until it is applied or left for redelivery. */
    final class Failing {
        private final EventEnvelope envelope;
        private final Instant since = Instant.now();
        private volatile String lastError = "";
        private volatile int attempts;

        private Failing(EventEnvelope envelope) {
            this.envelope = envelope;
        }

        void failed(RuntimeException e) {
            attempts++;
            lastError = e.toString();
            Counter.builder("events.consumer.failures").description("Failed attempts to apply a consumed event (each is retried)")
                    .tag("type", envelope.type() == null ? "unknown" : envelope.type()).register(meters).increment();
        }

        void ended() {
            failing.remove(this);
        }
    }

    private final Set<Failing> failing = ConcurrentHashMap.newKeySet();
    private final MeterRegistry meters;
    private final Duration warnAfter;

    ConsumerRetries(MeterRegistry meters, EventBackboneConfig config) {
        this.meters = meters;
        this.warnAfter = config.consumer().warnAfter();
        Gauge.builder("events.consumer.retrying", failing, Set::size)
                .description("Consumed events failing for a transient reason and being retried").register(meters);
        Gauge.builder("events.consumer.oldest.retry.age", this, r -> r.oldest() == null ? 0
                        : Duration.between(r.oldest().since, Instant.now()).toMillis() / 1000.0)
                .baseUnit("seconds").description("How long the oldest failing consumed event has been retried").register(meters);
    }

    Failing started(EventEnvelope envelope) {
        Failing f = new Failing(envelope);
        failing.add(f);
        return f;
    }

    /** A record nacked to the dead-letter topic: {@code events_consumer_dead_letters_total{type}} ("unreadable": no envelope). */
    void deadLettered(String type) {
        Counter.builder("events.consumer.dead.letters").description("Consumed records written to the dead-letter topic")
                .tag("type", type == null ? "unknown" : type).register(meters).increment();
    }

    /** Records being retried right now. */
    public int retrying() {
        return failing.size();
    }

    private Failing oldest() {
        return failing.stream().min(Comparator.comparing(f -> f.since)).orElse(null);
    }

    /** The {@code event-consumers} check: DOWN while a record has been failing longer than {@code warn-after}. */
    public HealthCheckResponse report() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("event-consumers").withData("retrying", failing.size());
        Failing f = oldest();
        if (f == null) {
            return b.up().build();
        }
        Duration age = Duration.between(f.since, Instant.now());
        b.withData("oldest", f.envelope.type() + " " + f.envelope.id())
                .withData("failing-for-seconds", age.toSeconds())
                .withData("attempts", f.attempts)
                .withData("last-error", f.lastError);
        return age.compareTo(warnAfter) >= 0 ? b.down().build() : b.up().build();
    }
}
