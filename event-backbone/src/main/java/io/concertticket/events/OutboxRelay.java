package io.concertticket.events;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.HashMap;
import java.util.Map;

/**
 * Publishes outbox rows to Kafka in order per key and deletes them once the broker acknowledged
 * them (see {@link OutboxRelayWorker} for how replicas share the work). Woken by
 * {@link OutboxPublisher} right after each commit that wrote rows; polls every
 * {@code event-backbone.relay.poll-interval} as a fallback (rows of another replica, or left over
 * from a crash or an outage). Backs off while Kafka or the database is unreachable, and on
 * shutdown lets the batch in flight finish.
 */
@ApplicationScoped
public class OutboxRelay {

    @Inject
    AgroalDataSource dataSource;
    @Inject
    EventBackboneConfig config;
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;
    @Inject
    MeterRegistry meters;
    @Inject
    Tracer tracer;

    private volatile OutboxRelayWorker worker;

    void onStart(@Observes StartupEvent ev) {
        if (!config.relay().enabled()) {
            return;
        }
        OutboxRelayWorker w = newWorker("outbox-relay", OutboxMetrics.register(meters, dataSource));
        worker = w;
        w.start();
    }

    // Before the datasource and the Kafka client go away.
    void onStop(@Observes @Priority(1) ShutdownEvent ev) {
        OutboxRelayWorker w = worker;
        if (w != null) {
            w.stop(config.relay().shutdownTimeout());
        }
    }

    /** Called after a commit that wrote outbox rows: publish now rather than at the next poll. */
    public void wake() {
        OutboxRelayWorker w = worker;
        if (w != null) {
            w.wake();
        }
    }

    /** A relay over this service's database and broker that the caller starts and stops (tests run several). */
    OutboxRelayWorker newWorker(String name, OutboxMetrics metrics) {
        return new OutboxRelayWorker(name, dataSource, this::newProducer, config.relay(), metrics, tracer);
    }

    OutboxRelayWorker worker() {
        return worker;
    }

    Producer<String, String> newProducer() {
        return new KafkaProducer<>(producerConfig(kafkaConfig, config), new StringSerializer(), new StringSerializer());
    }

    static Map<String, Object> producerConfig(Map<String, Object> kafkaConfig, EventBackboneConfig config) {
        Map<String, Object> props = new HashMap<>();
        kafkaConfig.forEach((k, v) -> {
            if (k.startsWith("bootstrap.servers") || k.startsWith("security.") || k.startsWith("sasl.") || k.startsWith("ssl.")) {
                props.put(k, v);
            }
        });
        int sendTimeoutMs = (int) Math.min(Integer.MAX_VALUE, config.relay().sendTimeout().toMillis());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // Idempotent: a retried request is not written twice.
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // One request in flight per broker, so a key's events cannot overtake each other whatever the broker does with a
        // refused request: with five, a broker that had not yet applied a new partition refused one request and took the
        // next (KAFKA-15591); the first expired, the batch was sent again, and a key's events reached a fresh topic as
        // 3, 4, 5, 1, 2 (docs/performance.md, 2026-12-01).
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // What waits behind that one request goes in the next, one batch per partition: 256 KB carries a batch of 500
        // events in ~2 round trips instead of ~5, which keeps the backlog drain at its five-in-flight rate (same page).
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, sendTimeoutMs);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(5000, sendTimeoutMs));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, sendTimeoutMs);
        // Reconnect quickly once Kafka is back instead of waiting out a long reconnect back-off.
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay-" + config.source().replace("/", ""));
        return props;
    }
}
