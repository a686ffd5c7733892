package io.concertticket.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration;
import io.concertticket.events.testapp.ApplyCounterBumped;
import io.concertticket.events.testapp.CounterEventsConsumer;
import io.concertticket.testing.CloudEvents;
import io.concertticket.testing.EventContract;
import io.concertticket.testing.KafkaTestConsumer;
import io.concertticket.testing.KafkaTestProducer;
import io.concertticket.infra.testing.SharedInfrastructure;
import io.concertticket.testing.LongScenario;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.concertticket.testing.KafkaTestConsumer.header;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.awaitility.Awaitility.await;

/** The consumer side: idempotent application, poison messages dead-lettered without blocking the partition. */
@QuarkusTest
@WithTestResource(value = EventBackboneInfra.class, initArgs = @ResourceArg(name = "relay", value = "on"))
class EventConsumerTest {

    private static final String TOPIC = "test.counter-events";
    private static final String DEAD_LETTER = "test.dead-letter";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The pool's acquisition timeout while the outage case's database refuses connections (see that case). */
    private static final Duration OUTAGE_ACQUISITION_TIMEOUT = Duration.ofMillis(200);

    @Inject
    AgroalDataSource dataSource;
    @Inject
    CounterEventsConsumer consumer;
    @Inject
    ConsumerRetries retries;
    @Inject
    MeterRegistry meters;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private KafkaTestProducer producer;
    private Db db;

    @BeforeEach
    void setUp() {
        producer = KafkaTestProducer.to(bootstrap);
        db = new Db(dataSource);
    }

    @AfterEach
    void tearDown() {
        producer.close();
    }

    @Test
    void aDuplicatedDeliveryIsAppliedOnce() throws Exception {
        String key = "dup-" + UUID.randomUUID();
        UUID id = UUID.randomUUID();
        String event = event(id, "CounterBumped", 1, key, 1, 7).toString();
        send(key, event);
        send(key, event); // what a relay that crashed after the broker's ack, before its delete, sends
        UUID marker = UUID.randomUUID();
        send(key, event(marker, "CounterBumped", 1, key, 2, 100).toString());

        // Same key, same partition: once the marker is applied, both copies before it were processed.
        awaitApplied(marker);
        assertThat(appliedCount(id)).isEqualTo(1);
        assertThat(total(key)).isEqualTo(107);
    }

    @Test
    void twoHundredConcurrentDeliveriesOfOneEventApplyItExactlyOnce() throws Exception {
        String key = "race-" + UUID.randomUUID();
        UUID id = UUID.randomUUID();
        String event = event(id, "CounterBumped", 1, key, 1, 3).toString();
        int threads = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            done.add(pool.submit(() -> {
                start.await();
                consumer.on(Message.of(event)).toCompletableFuture().get(); // the channel handler itself, as 200 redeliveries would call it
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(); // none fails: redeliveries are acknowledged, not errors
        }
        pool.shutdown();
        assertThat(appliedCount(id)).isEqualTo(1);
        assertThat(total(key)).isEqualTo(3);
        assertThat(db.queryLong("SELECT count(*) FROM processed_event WHERE consumer = ? AND event_id = ?",
                ApplyCounterBumped.CONSUMER, id)).isEqualTo(1);
    }

    /**
     * Four poison messages, then a good one, all on one key (one partition): each poison message
     * lands on the dead-letter topic unchanged with its reason, and the good one behind them is
     * applied — the partition is not blocked. A known type without use is skipped, not dead-lettered.
     */
    @Test
    void poisonMessagesAreDeadLetteredWithTheirReasonAndDoNotBlockThePartition() throws Exception {
        String key = "poison-" + UUID.randomUUID();
        ObjectNode unknownType = event(UUID.randomUUID(), "CounterExploded", 1, key, 1, 1);
        ObjectNode futureVersion = event(UUID.randomUUID(), "CounterBumped", 2, key, 1, 1);
        ObjectNode badPayload = event(UUID.randomUUID(), "CounterBumped", 1, key, 1, 1);
        ((ObjectNode) badPayload.get("data")).put("n", "one");
        ObjectNode skipped = event(UUID.randomUUID(), CounterEventsConsumer.SKIPPED_TYPE, 1, key, 1, 1);
        List<String> poison = List.of("{this is not json", unknownType.toString(), futureVersion.toString(), badPayload.toString());

        try (KafkaTestConsumer deadLetters = KafkaTestConsumer.fromEnd(bootstrap, DEAD_LETTER)) {
            for (String p : poison) {
                send(key, p);
            }
            send(key, skipped.toString());
            UUID good = UUID.randomUUID();
            send(key, event(good, "CounterBumped", 1, key, 1, 42).toString());

            awaitApplied(good);
            assertThat(total(key)).isEqualTo(42);

            List<ConsumerRecord<String, String>> dead = deadLetters.await(r -> key.equals(r.key()), 4, Duration.ofSeconds(30));
            assertThat(dead).extracting(ConsumerRecord::value).containsExactlyElementsOf(poison);
            assertThat(dead).extracting(r -> header(r, "dead-letter-reason")).satisfiesExactly(
                    r -> assertThat(r).startsWith("not a CloudEvents JSON document"),
                    r -> assertThat(r).isEqualTo("unknown event type 'CounterExploded' (this consumer knows [CounterBumped] and skips [CounterInspected])"),
                    r -> assertThat(r).isEqualTo("unsupported dataversion 2 of CounterBumped (supported: [1])"),
                    r -> assertThat(r).startsWith("CounterBumped payload does not match its schema"));
            assertThat(dead).allSatisfy(r -> assertThat(header(r, "dead-letter-topic")).isEqualTo(TOPIC));
            // The headers SmallRye writes are the ones asyncapi.yaml documents for every <service>.dead-letter topic.
            EventContract contract = EventContract.load();
            for (ConsumerRecord<String, String> r : dead) {
                contract.assertValid(new ConsumerRecord<>("payment-service.dead-letter", r.partition(), r.offset(), r.timestamp(),
                        r.timestampType(), r.serializedKeySize(), r.serializedValueSize(), r.key(), r.value(), r.headers(), r.leaderEpoch()));
            }
            // the skipped event is neither applied nor dead-lettered
            assertThat(deadLetters.drainFor(Duration.ofMillis(500))).filteredOn(r -> key.equals(r.key())).hasSize(4);
            assertThat(appliedCount(UUID.fromString(skipped.get("id").asText()))).isZero();
        }
    }

    /**
     * The database refuses every connection for longer than the old budget of 30 attempts (back-off
     * capped at 200 ms in this test) while 40 events arrive: none is dead-lettered, the wellness check
     * warns and the retry metrics count, and once the database is back every event is applied exactly
     * once and the warning clears.
     *
     * <p>Each attempt asks the pool for a connection. Agroal 3 (AG-274) answers a refused connection with one
     * more try after waiting min(1 s, acquisition timeout - 100 ms) for a returned one, so at Quarkus' default
     * acquisition timeout (5 s) an attempt took 1.2 s and the 35 of them about 50 s. While the database is
     * away the pool's acquisition timeout ({@code quarkus.datasource.jdbc.acquisition-timeout}) is
     * {@link #OUTAGE_ACQUISITION_TIMEOUT} (the retry after 100 ms, an attempt about 0.3 s); the configured one
     * is back before the database is. Not in application.properties: start-up (Flyway's first connection)
     * and the 200-thread cases wait for connections longer than that on a loaded machine.
     */
    @Test
    @LongScenario
    void aDatabaseOutageLongerThanAnyRetryBudgetDelaysEventsButDeadLettersNone() throws Exception {
        String key = "outage-" + UUID.randomUUID();
        int events = 40;
        List<UUID> ids = new ArrayList<>();
        try (KafkaTestConsumer deadLetters = KafkaTestConsumer.fromEnd(bootstrap, DEAD_LETTER)) {
            double failuresBefore = failures();
            AgroalConnectionPoolConfiguration pool = dataSource.getConfiguration().connectionPoolConfiguration();
            Duration configuredAcquisitionTimeout = pool.acquisitionTimeout();
            pool.setAcquisitionTimeout(OUTAGE_ACQUISITION_TIMEOUT);
            databaseAccepting(false);
            try {
                for (int i = 0; i < events; i++) {
                    UUID id = UUID.randomUUID();
                    ids.add(id);
                    String k = key + "-" + (i % 4); // several partitions
                    send(k, event(id, "CounterBumped", 1, k, i, 1).toString());
                }
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                        .until(() -> failures() - failuresBefore >= 35 && retries.retrying() >= 1);
                given().when().get("/q/health/well").then().statusCode(503)
                        .body("checks.find { it.name == 'event-consumers' }.status", is("DOWN"))
                        .body("checks.find { it.name == 'event-consumers' }.data.last-error", containsString("not currently accepting connections"));
                assertThat(deadLetters.drainFor(Duration.ofSeconds(1))).filteredOn(r -> r.key().startsWith(key)).isEmpty();
            } finally {
                databaseAccepting(true);
                pool.setAcquisitionTimeout(configuredAcquisitionTimeout);
            }
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> ids.stream().allMatch(id -> appliedCount(id) == 1));
            for (UUID id : ids) {
                assertThat(appliedCount(id)).as("event %s", id).isEqualTo(1);
            }
            assertThat(deadLetters.drainFor(Duration.ofSeconds(2))).filteredOn(r -> r.key().startsWith(key)).isEmpty();
            await().atMost(Duration.ofSeconds(30)).until(() -> retries.retrying() == 0);
            given().when().get("/q/health/well").then().statusCode(200);
        }
    }

    /**
     * Five events of a version this consumer does not know are dead-lettered; then "a fix is deployed" and
     * the operator replays: each is applied once. A second replay finds nothing new, and one from the
     * beginning goes through every letter again without applying anything twice (inbox).
     */
    @Test
    void deadLettersAreReplayedAfterAFixAndAppliedExactlyOnce() throws Exception {
        String key = "replay-" + UUID.randomUUID();
        List<UUID> ids = new ArrayList<>();
        try (KafkaTestConsumer deadLetters = KafkaTestConsumer.fromEnd(bootstrap, DEAD_LETTER)) {
            for (int i = 0; i < 5; i++) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                send(key, event(id, "CounterBumped", 2, key, i, 10).toString());
            }
            deadLetters.await(r -> key.equals(r.key()), 5, Duration.ofSeconds(60));
        }
        assertThat(total(key)).isZero();

        CounterEventsConsumer.deployVersion2(true);
        try {
            JsonPath first = replay("");
            assertThat(first.getInt("applied")).isGreaterThanOrEqualTo(5);
            assertThat(first.getList("deadLetterTopics")).containsExactly(DEAD_LETTER);
            assertThat(total(key)).isEqualTo(50);
            for (UUID id : ids) {
                assertThat(appliedCount(id)).isEqualTo(1);
            }

            JsonPath again = replay("");
            assertThat(again.getInt("scanned")).isZero();
            assertThat(again.getInt("applied")).isZero();

            JsonPath all = replay("?from=beginning");
            assertThat(all.getInt("scanned")).isGreaterThanOrEqualTo(5);
            assertThat(total(key)).isEqualTo(50);
            for (UUID id : ids) {
                assertThat(appliedCount(id)).isEqualTo(1);
            }
        } finally {
            CounterEventsConsumer.deployVersion2(false);
        }
    }

    private static JsonPath replay(String query) {
        return given().when().post("/q/dead-letters/replay" + query).then().statusCode(200).extract().jsonPath();
    }

    /** Lets the test database take connections or not, closing the ones open (a database outage as the service sees it). */
    private static void databaseAccepting(boolean accepting) throws Exception {
        SharedInfrastructure.Endpoints infra = SharedInfrastructure.get();
        try (Connection c = DriverManager.getConnection(infra.jdbcUrl("postgres"), "postgres", "postgres");
             Statement st = c.createStatement()) {
            st.execute("ALTER DATABASE " + EventBackboneInfra.DATABASE + " ALLOW_CONNECTIONS " + accepting);
            if (!accepting) {
                st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                        + EventBackboneInfra.DATABASE + "' AND pid <> pg_backend_pid()");
            }
        }
    }

    private double failures() {
        return meters.find("events.consumer.failures").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private void send(String key, String value) {
        producer.send(TOPIC, key, value);
    }

    private static ObjectNode event(UUID id, String type, int version, String key, int n, long amount) {
        try {
            return (ObjectNode) JSON.readTree(CloudEvents.json(id, "/event-backbone-test", type, "counter/" + key, version,
                    Map.of("key", key, "n", n, "amount", amount)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitApplied(UUID id) {
        await().atMost(Duration.ofSeconds(60)).until(() -> appliedCount(id) >= 1);
    }

    private long appliedCount(UUID id) {
        return db.queryLong("SELECT count(*) FROM applied_log WHERE event_id = ?", id);
    }

    private long total(String key) {
        return db.queryLong("SELECT COALESCE(SUM(total), 0) FROM counter WHERE counter_key = ?", key);
    }
}
