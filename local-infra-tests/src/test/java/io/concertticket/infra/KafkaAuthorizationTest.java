package io.concertticket.infra;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka as an attacker inside the cluster network meets it: a real KRaft broker started by
 * {@code InfraMain --kafka-sasl} (SASL_PLAINTEXT, SCRAM-SHA-512 users, StandardAuthorizer with the ACLs of
 * kafka/kafka-acls.txt). A forged PaymentCompleted or TokenExpired needs the producing service's password.
 */
class KafkaAuthorizationTest {

    private static final String PAYMENT_EVENTS = "payment.payment-events";
    private static final String TOKEN_EVENTS = "queue.token-events";

    private static InfraProcess infra;
    private static Path users;

    @BeforeAll
    static void startSaslBroker() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target").toAbsolutePath()), "kafka-sasl-");
        infra = InfraProcess.start(dir.resolve("infra.log"), "--data-dir", dir.toString(), "--no-postgres",
                "--kafka-port", "0", "--kafka-controller-port", "0", "--kafka-sasl");
        users = dir.resolve("kafka-users");
    }

    @AfterAll
    static void stop() {
        if (infra != null) {
            infra.close();
        }
    }

    private static String password(String user) throws Exception {
        return Files.readString(users.resolve(user + ".password")).strip();
    }

    private static Map<String, Object> scram(String user, String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", KafkaCredentials.scramJaasConfig(user, password));
    }

    /**
     * A producer configured like the outbox relay (acks=all, idempotent). Its time-outs leave room for a broker on a
     * loaded machine (CI runs four modules' tests beside this one on two cores): a refusal or a success that comes
     * late is still the answer this test reads, and only a client that is never answered waits them out.
     */
    private static KafkaProducer<String, String> producer(Map<String, Object> security) {
        Map<String, Object> config = new HashMap<>(security);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    /** A producer that no broker will ever answer (no SASL on a SASL listener): its metadata wait is the whole test. */
    private static KafkaProducer<String, String> unansweredProducer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 8000);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(Map<String, Object> security, String group) {
        Map<String, Object> config = new HashMap<>(security);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    private static RecordMetadata send(KafkaProducer<String, String> producer, String topic, String value) throws Exception {
        return producer.send(new ProducerRecord<>(topic, "42", value)).get(90, TimeUnit.SECONDS);
    }

    /**
     * What the broker answers a consumer that subscribed where it may not: the first poll that throws, within a
     * minute. Polls that return nothing only mean the answer has not come yet; records mean the broker let it read.
     */
    private static RuntimeException refusal(KafkaConsumer<String, String> consumer) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofSeconds(1));
                if (!records.isEmpty()) {
                    throw new AssertionError("the broker let the consumer read " + records.count() + " records of " + consumer.subscription());
                }
            } catch (KafkaException e) {
                return e;
            }
        }
        throw new AssertionError("no refusal within a minute for " + consumer.subscription());
    }

    private static Throwable sendFailure(KafkaProducer<String, String> producer, String topic) {
        try {
            send(producer, topic, "{\"type\":\"PaymentCompleted\",\"forged\":true}");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
        return null;
    }

    @Test
    void aClientWithoutCredentialsCannotPublishAForgedPaymentCompleted() {
        try (KafkaProducer<String, String> anonymous = unansweredProducer()) {
            // the listener speaks SASL only: a PLAINTEXT client never even gets metadata
            assertThat(sendFailure(anonymous, PAYMENT_EVENTS)).isInstanceOf(TimeoutException.class);
        }
    }

    @Test
    void aWrongPasswordIsRejectedAtSignIn() throws Exception {
        try (KafkaProducer<String, String> guessing = producer(scram("payment-service", password("payment-service") + "x"))) {
            assertThat(sendFailure(guessing, PAYMENT_EVENTS)).isInstanceOf(SaslAuthenticationException.class);
        }
        try (KafkaProducer<String, String> nobody = producer(scram("mallory", "whatever"))) {
            assertThat(sendFailure(nobody, PAYMENT_EVENTS)).isInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void concertServicesUserCannotWritePaymentEventsButPaymentServicesUserCan() throws Exception {
        try (KafkaProducer<String, String> concert = producer(scram("concert-service", password("concert-service")))) {
            assertThat(sendFailure(concert, PAYMENT_EVENTS)).isInstanceOf(TopicAuthorizationException.class);
        }
        try (KafkaProducer<String, String> payment = producer(scram("payment-service", password("payment-service")))) {
            assertThat(send(payment, PAYMENT_EVENTS, "{\"type\":\"PaymentCompleted\"}").topic()).isEqualTo(PAYMENT_EVENTS);
        }
    }

    @Test
    void theGatewaysUserReadsTokenEventsInItsPerInstanceGroupButCannotWriteThem() throws Exception {
        String marker = "TokenExpired-" + UUID.randomUUID();
        try (KafkaProducer<String, String> queue = producer(scram("queue-service", password("queue-service")))) {
            send(queue, TOKEN_EVENTS, marker);
        }
        Map<String, Object> gateway = scram("api-gateway", password("api-gateway"));
        try (KafkaProducer<String, String> producer = producer(gateway)) {
            assertThat(sendFailure(producer, TOKEN_EVENTS)).as("the gateway forging a TokenExpired").isInstanceOf(TopicAuthorizationException.class);
        }
        try (KafkaConsumer<String, String> consumer = consumer(gateway, "api-gateway-" + UUID.randomUUID())) {
            consumer.subscribe(List.of(TOKEN_EVENTS));
            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!seen.contains(marker) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    seen.add(r.value());
                }
            }
            assertThat(seen).contains(marker);
        }
        // another service's group is not the gateway's: it cannot join it (and so take its partitions or offsets)
        try (KafkaConsumer<String, String> consumer = consumer(gateway, "concert-service")) {
            consumer.subscribe(List.of(TOKEN_EVENTS));
            assertThat(refusal(consumer)).isInstanceOf(GroupAuthorizationException.class);
        }
    }

    @Test
    void everyServiceWritesExactlyTheTopicsTheAclTableGivesIt() throws Exception {
        Set<String> topics = KafkaAcls.topics();
        List<String> problems = new ArrayList<>();
        for (String user : KafkaAcls.users()) {
            Set<String> allowed = new TreeSet<>();
            KafkaAcls.entries().stream()
                    .filter(e -> e.user().equals(user) && e.resourceType() == ResourceType.TOPIC && e.patternType() == PatternType.LITERAL
                            && e.operation() == org.apache.kafka.common.acl.AclOperation.WRITE)
                    .forEach(e -> allowed.add(e.name()));
            try (KafkaProducer<String, String> producer = producer(scram(user, password(user)))) {
                for (String topic : topics) {
                    Throwable failure = sendFailure(producer, topic);
                    if (allowed.contains(topic) && failure != null) {
                        problems.add(user + " may write " + topic + " but failed: " + failure);
                    } else if (!allowed.contains(topic) && !(failure instanceof TopicAuthorizationException)) {
                        problems.add(user + " wrote " + topic + (failure == null ? "" : " (or failed otherwise: " + failure + ")"));
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(KafkaAcls.users()).containsExactlyInAnyOrder("queue-service", "concert-service", "payment-service", "api-gateway");
    }

    @Test
    void aServiceCannotConsumeATopicItDoesNotConsume() throws Exception {
        // queue-service consumes payment events only: it cannot read the reservation events (its own group)
        try (KafkaConsumer<String, String> consumer = consumer(scram("queue-service", password("queue-service")), "queue-service")) {
            consumer.subscribe(List.of("concert.reservation-events"));
            assertThat(refusal(consumer)).isInstanceOfSatisfying(TopicAuthorizationException.class,
                    refused -> assertThat(refused.unauthorizedTopics()).contains("concert.reservation-events"));
        }
    }

    @Test
    void hopTokenKeyPairIsCreatedInTheDataDirectory() throws Exception {
        // every InfraMain creates it (run.sh hands it to the gateway and the services), this broker's too
        assertThat(Files.readString(infra.hopTokenKeys().privateKey())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(infra.hopTokenKeys().publicKey())).startsWith("-----BEGIN PUBLIC KEY-----");
    }
}
