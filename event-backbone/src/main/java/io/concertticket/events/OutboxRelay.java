package io.concertticket.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Publishes outbox rows to Kafka in commit order and deletes them once the broker acknowledged them.
 *
 * <p>Replicas: each batch runs in a transaction that first takes a transaction-scoped advisory
 * lock, so only one replica relays at a time and order per key holds across replicas; rows are
 * also locked with {@code FOR UPDATE SKIP LOCKED} so that no row is ever in two batches.
 * A crash between publish and delete republishes the batch: delivery is at least once and
 * consumers are idempotent.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Arbitrary constant identifying "the outbox relay" among advisory locks of this database. */
    private static final long RELAY_LOCK = 0x0B0C5EEDL;

    @Inject
    EntityManager em;
    @Inject
    EventBackboneConfig config;
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;
    @Inject
    MeterRegistry meters;

    private final Semaphore wakeUp = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;
    private KafkaProducer<String, String> producer;
    private Counter published;
    private Counter failures;

    void onStart(@Observes StartupEvent ev) {
        if (!config.relay().enabled()) {
            return;
        }
        published = meters.counter("outbox.events.published");
        failures = meters.counter("outbox.relay.failures");
        producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), new StringSerializer());
        running = true;
        thread = new Thread(this::loop, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent ev) {
        running = false;
        if (thread != null) {
            wakeUp.release();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** Called after a commit that wrote outbox rows: publish now rather than at the next poll. */
    public void wake() {
        wakeUp.release();
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> props = new HashMap<>();
        kafkaConfig.forEach((k, v) -> {
            if (k.startsWith("bootstrap.servers") || k.startsWith("security.") || k.startsWith("sasl.") || k.startsWith("ssl.")) {
                props.put(k, v);
            }
        });
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, config.relay().sendTimeout().toMillis()));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, config.relay().sendTimeout().toMillis()));
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay-" + config.source().replace("/", ""));
        return props;
    }

    private void loop() {
        long backoffMs = 0;
        while (running) {
            try {
                if (backoffMs > 0) {
                    wakeUp.tryAcquire(backoffMs, TimeUnit.MILLISECONDS);
                } else {
                    wakeUp.tryAcquire(config.relay().pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                }
                wakeUp.drainPermits();
                if (!running) {
                    return;
                }
                int n;
                do {
                    n = relayBatch();
                } while (n == config.relay().batchSize() && running);
                backoffMs = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                failures.increment();
                backoffMs = backoffMs == 0 ? 200 : Math.min(backoffMs * 2, config.relay().maxBackoff().toMillis());
                LOG.warnf("outbox relay: publishing failed (%s); retrying in %d ms", e.getMessage(), backoffMs);
            }
        }
    }

    /** Publishes one batch; returns how many rows it published. */
    int relayBatch() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Boolean locked = (Boolean) em.createNativeQuery("SELECT pg_try_advisory_xact_lock(?1)")
                    .setParameter(1, RELAY_LOCK).getSingleResult();
            if (!Boolean.TRUE.equals(locked)) {
                return 0; // another replica is relaying right now
            }
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery(
                            "SELECT seq, event_id, topic, message_key, event_type, payload FROM outbox_event "
                                    + "ORDER BY seq LIMIT ?1 FOR UPDATE SKIP LOCKED")
                    .setParameter(1, config.relay().batchSize())
                    .getResultList();
            if (rows.isEmpty()) {
                return 0;
            }
            List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
            List<Long> seqs = new ArrayList<>(rows.size());
            for (Object[] row : rows) {
                ProducerRecord<String, String> record = new ProducerRecord<>((String) row[2], (String) row[3], (String) row[5]);
                record.headers().add("content-type", EventEnvelope.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
                record.headers().add("ce_id", row[1].toString().getBytes(StandardCharsets.UTF_8));
                record.headers().add("ce_type", ((String) row[4]).getBytes(StandardCharsets.UTF_8));
                acks.add(producer.send(record));
                seqs.add(((Number) row[0]).longValue());
            }
            producer.flush();
            long deadline = System.nanoTime() + config.relay().sendTimeout().toNanos();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            em.createNativeQuery("DELETE FROM outbox_event WHERE seq = ANY(?1)")
                    .setParameter(1, seqs.toArray(new Long[0]))
                    .executeUpdate();
            published.increment(rows.size());
            return rows.size();
        });
    }
}
