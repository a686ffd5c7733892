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
        // One request in flight per broker, so a key's events cannot overtake each other whatever the broker does with
        // a refused request. With five, a request refused by a broker that had not yet applied a new partition
        // (NOT_LEADER_OR_FOLLOWER) was overtaken by the next one, which the broker accepted (KAFKA-15591); the broker
        // then refused the first one's retries as out of sequence until it expired, the relay's batch failed and was
        // sent again, and a key's events reached a fresh topic as 3, 4, 5, 1, 2 (issue 21's notes). A probe of 200
        // fresh topics a run beside four busy loops lost one 39-record request that way in 2 of 6 runs with five in
        // flight, in none of 3 with one.
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // What the single request in flight cannot pipeline it carries at once: a partition's records sent while the
        // previous request waits for its acknowledgement go together (batch of 500 at 16 KB: ~5 round trips; at
        // 256 KB: ~2). Backlog drain, one relay, this machine: 7,500-7,900 events/s with 16 KB, 11,200-12,100 with 256 KB
        // (five in flight at 16 KB: 8,800-11,400); OutboxFailureRecoveryTest.backlogDrainBenchmark.
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
