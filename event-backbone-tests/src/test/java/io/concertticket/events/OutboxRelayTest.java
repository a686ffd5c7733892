package io.concertticket.events;

import io.agroal.api.AgroalDataSource;
import io.concertticket.events.testapp.BumpCounter;
import io.concertticket.events.testapp.CounterBumped;
import io.concertticket.testing.KafkaTestConsumer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.concertticket.testing.KafkaTestConsumer.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The application's own relay, woken on commit, against real PostgreSQL and Kafka. */
@QuarkusTest
@WithTestResource(value = EventBackboneInfra.class, initArgs = @ResourceArg(name = "relay", value = "on"))
class OutboxRelayTest {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @Inject
    BumpCounter bumpCounter;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    MeterRegistry meters;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void aCommittedEventReachesTheBrokerAsACloudEventAndLeavesTheOutbox() throws Exception {
        String topic = "test.single-" + UUID.randomUUID();
        EventEnvelope sent = bumpCounter.bump(topic, "k1", 5);
        try (KafkaTestConsumer consumer = KafkaTestConsumer.fromBeginning(bootstrap, topic)) {
            ConsumerRecord<String, String> r = consumer.await(1, Duration.ofSeconds(30)).get(0);
            assertThat(r.key()).isEqualTo("k1");
            assertThat(header(r, "content-type")).isEqualTo("application/cloudevents+json");
            assertThat(header(r, "ce_id")).isEqualTo(sent.id().toString());
            assertThat(header(r, "ce_type")).isEqualTo("CounterBumped");
            var json = JSON.readTree(r.value());
            assertThat(json.get("specversion").asText()).isEqualTo("1.0");
            assertThat(json.get("id").asText()).isEqualTo(sent.id().toString());
            assertThat(json.get("source").asText()).isEqualTo("/event-backbone-test");
            assertThat(json.get("type").asText()).isEqualTo("CounterBumped");
            assertThat(json.get("subject").asText()).isEqualTo("counter/k1");
            assertThat(json.get("datacontenttype").asText()).isEqualTo("application/json");
            assertThat(json.get("dataversion").asInt()).isEqualTo(1);
            assertThat(java.time.Instant.parse(json.get("time").asText())).isBeforeOrEqualTo(java.time.Instant.now());
            assertThat(JSON.treeToValue(json.get("data"), CounterBumped.class)).isEqualTo(new CounterBumped("k1", 1, 5, null)); // the topic is not data
        }
        Db db = new Db(dataSource);
        await().atMost(Duration.ofSeconds(10)).until(() -> db.pendingOnTopic(topic) == 0);
    }

    @Test
    void aRolledBackTransactionLeavesNeitherStateNorEvent() {
        String topic = "test.rollback-" + UUID.randomUUID();
        String key = "rb-" + UUID.randomUUID();
        assertThatThrownBy(() -> bumpCounter.bumpAndFail(topic, key)).isInstanceOf(IllegalStateException.class);
        Db db = new Db(dataSource);
        assertThat(db.queryLong("SELECT count(*) FROM source_state WHERE state_key = ?", key)).isZero();
        assertThat(db.pendingOnTopic(topic)).isZero();
        try (KafkaTestConsumer consumer = KafkaTestConsumer.fromBeginning(bootstrap, topic)) {
            assertThat(consumer.drainFor(Duration.ofSeconds(1))).isEmpty();
        }
    }

    /**
     * 200 threads bump 20 keys at once. Each event carries the key's bump count after its
     * transaction, so on the topic every key must read 1, 2, 3, … with no gap and no inversion: order per key is the
     * order in which the state changes committed. Delivery is at least once (docs/architecture.md, D1): a batch whose
     * acknowledgement the relay did not get within its send timeout (a starved machine, a slow new topic) is sent
     * again, so an event may be on the topic twice, the second time after its batch's first copies. What is
     * guaranteed, and checked: every event is there (by id, none lost, none made up), each key's first occurrences
     * are in commit order, and a second copy exists only when the relay counted a failed batch.
     */
    @Test
    void concurrentWritersEventsArePublishedAtLeastOncePerKeyInCommitOrder() throws Exception {
        String topic = "test.concurrent-" + UUID.randomUUID();
        String prefix = UUID.randomUUID().toString().substring(0, 8) + "-";
        int threads = 200;
        int keys = 20;
        int perThread = 5;
        double failedBatchesBefore = meters.get("outbox.relay.failures").counter().count();
        Set<String> written = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    written.add(bumpCounter.bump(topic, prefix + ((thread + i) % keys), 1).id().toString());
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        int total = threads * perThread;
        assertThat(written).hasSize(total);
        Db db = new Db(dataSource);
        // once the outbox is empty every copy the relay sent is acknowledged, so reading to the end sees them all
        await().atMost(Duration.ofSeconds(60)).until(() -> db.pendingOnTopic(topic) == 0);
        try (KafkaTestConsumer consumer = KafkaTestConsumer.fromBeginning(bootstrap, topic)) {
            List<ConsumerRecord<String, String>> records = consumer.readToEnd(Duration.ofSeconds(60));
            Set<String> firstSeen = new HashSet<>();
            Map<String, List<Integer>> firstNByKey = new HashMap<>();
            for (ConsumerRecord<String, String> r : records) {
                if (firstSeen.add(header(r, "ce_id"))) {
                    firstNByKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(JSON.readTree(r.value()).get("data").get("n").asInt());
                }
            }
            assertThat(firstSeen).as("the events on the topic, by id").isEqualTo(written);
            assertThat(firstNByKey).hasSize(keys);
            firstNByKey.forEach((key, ns) -> assertThat(ns).as("n for key " + key + ", first occurrences")
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, total / keys).boxed().toList()));
            if (records.size() > total) {
                System.out.printf("%d records for %d events: a batch was sent again (%.0f failed batches)%n", records.size(), total,
                        meters.get("outbox.relay.failures").counter().count() - failedBatchesBefore);
                assertThat(meters.get("outbox.relay.failures").counter().count())
                        .as("%d records for %d events: copies only after a failed batch", records.size(), total)
                        .isGreaterThan(failedBatchesBefore);
            }
        }
    }

    /**
     * Benchmark, not a timed assertion: from the commit of a use case to the moment a consumer
     * in the same JVM holds the record (an upper bound of commit → broker), one event at a time on
     * an otherwise idle system. The poll interval is 500 ms, so figures well below it show the
     * relay is woken by the commit, not by polling.
     */
    @Test
    void wakeOnCommitLatencyBenchmark() throws Exception {
        String topic = "test.latency-" + UUID.randomUUID();
        bumpCounter.bump(topic, "warm-up", 1);
        int events = 200;
        Map<String, Long> committedAt = new ConcurrentHashMap<>();
        Map<String, Long> receivedAt = new ConcurrentHashMap<>();
        Map<String, Long> committedWallMs = new ConcurrentHashMap<>();
        Map<String, Long> sentWallMs = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        try (KafkaTestConsumer consumer = KafkaTestConsumer.fromBeginning(bootstrap, topic)) {
            consumer.await(1, Duration.ofSeconds(30));
            Thread reader = new Thread(() -> {
                while (!stop.get()) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(50))) {
                        receivedAt.put(r.key(), System.nanoTime());
                        sentWallMs.put(r.key(), r.timestamp()); // CreateTime: when the relay's producer sent it
                    }
                }
            });
            reader.start();
            try {
                for (int i = 0; i < events; i++) {
                    String key = "lat-" + i;
                    bumpCounter.bump(topic, key, 1);
                    committedAt.put(key, System.nanoTime());
                    committedWallMs.put(key, System.currentTimeMillis());
                    Thread.sleep(20); // idle between events
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> receivedAt.size() >= events);
            } finally {
                stop.set(true);
                reader.join(5000);
            }
        }
        List<Double> millis = new ArrayList<>();
        committedAt.forEach((k, t) -> millis.add(Math.max(0, receivedAt.get(k) - t) / 1_000_000.0));
        Collections.sort(millis);
        double p50 = millis.get(millis.size() / 2);
        double p99 = millis.get((int) Math.ceil(millis.size() * 0.99) - 1);
        double max = millis.get(millis.size() - 1);
        List<Long> toSend = new ArrayList<>();
        committedWallMs.forEach((k, t) -> toSend.add(sentWallMs.get(k) - t));
        Collections.sort(toSend);
        System.out.printf("BENCHMARK outbox commit -> consumer: n=%d p50=%.1f ms p99=%.1f ms max=%.1f ms;"
                        + " commit -> relay send (ms clock): p50=%d ms p99=%d ms max=%d ms%n", events, p50, p99, max,
                toSend.get(toSend.size() / 2), toSend.get((int) Math.ceil(toSend.size() * 0.99) - 1), toSend.get(toSend.size() - 1));
        assertThat(millis).hasSize(events);
    }

    @Test
    void metricsCountPublishedEventsAndShowNoLagOnceDrained() {
        double before = meters.get("outbox.events.published").counter().count();
        String topic = "test.metrics-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            bumpCounter.bump(topic, "m", 1);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> meters.get("outbox.events.published").counter().count() >= before + 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> meters.get("outbox.pending").gauge().value() == 0.0);
        assertThat(meters.get("outbox.oldest.pending.age").gauge().value()).isZero();
        assertThat(meters.get("outbox.publish.delay").timer().count()).isGreaterThanOrEqualTo(3);
    }
}
