package io.concertticket.testing;

import io.concertticket.infra.InfraProcess;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Against a real broker in a child JVM. */
class KafkaTestConsumerTest {

    private static InfraProcess kafka;
    private static KafkaProducer<String, String> producer;

    @BeforeAll
    static void startKafka() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")).toAbsolutePath(), "kafka-");
        kafka = InfraProcess.start(dir.resolve("infra.log"), "--no-postgres", "--kafka-port", "0",
                "--kafka-controller-port", "0", "--data-dir", dir.toString());
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void stopKafka() {
        if (producer != null) {
            producer.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void readsEverythingFromTheBeginningOfEveryPartitionWithHeaders() throws Exception {
        String topic = "t-" + UUID.randomUUID();
        for (int i = 0; i < 30; i++) {
            ProducerRecord<String, String> r = new ProducerRecord<>(topic, "k" + (i % 5), "v" + i);
            r.headers().add("ce_type", "Thing".getBytes(StandardCharsets.UTF_8));
            producer.send(r).get();
        }
        try (KafkaTestConsumer consumer = KafkaTestConsumer.fromBeginning(kafka.bootstrapServers(), topic)) {
            List<ConsumerRecord<String, String>> records = consumer.await(30, Duration.ofSeconds(30));
            assertThat(records).hasSize(30);
            assertThat(records).extracting(ConsumerRecord::value).containsExactlyInAnyOrder(
                    java.util.stream.IntStream.range(0, 30).mapToObj(i -> "v" + i).toArray(String[]::new));
            assertThat(KafkaTestConsumer.header(records.get(0), "ce_type")).isEqualTo("Thing");
            // per key, the log's order
            assertThat(records.stream().filter(r -> r.key().equals("k1")).map(ConsumerRecord::value))
                    .containsExactly("v1", "v6", "v11", "v16", "v21", "v26");
        }
    }

    @Test
    void readAllReturnsWhatTheTestProducerSentUpToTheEndWithTheCloudEventsHeader() {
        String topic = "t-" + UUID.randomUUID();
        String event = CloudEvents.json("/test", "Thing", "thing/1", Map.of("n", 1));
        try (KafkaTestProducer sender = KafkaTestProducer.to(kafka.bootstrapServers())) {
            sender.send(topic, "k", event, event, "not json");
        }
        List<ConsumerRecord<String, String>> all = KafkaTestConsumer.readAll(kafka.bootstrapServers(), topic);
        assertThat(all).extracting(ConsumerRecord::value).containsExactly(event, event, "not json");
        assertThat(all).allSatisfy(r -> assertThat(KafkaTestConsumer.header(r, "content-type")).isEqualTo("application/cloudevents+json"));
        assertThat(event).contains("\"specversion\":\"1.0\"", "\"type\":\"Thing\"", "\"dataversion\":1", "\"data\":{\"n\":1}");
        assertThat(KafkaTestConsumer.readAll(kafka.bootstrapServers(), "t-" + UUID.randomUUID())).isEmpty();
    }

    @Test
    void redeliverSendsRecordsAgainAsTheyWereInTheOrderGiven() throws Exception {
        String topic = "t-" + UUID.randomUUID();
        for (String value : List.of("a", "b", "c")) {
            ProducerRecord<String, String> r = new ProducerRecord<>(topic, "k", value);
            r.headers().add("ce_type", ("Thing-" + value).getBytes(StandardCharsets.UTF_8));
            producer.send(r).get();
        }
        List<ConsumerRecord<String, String>> first = KafkaTestConsumer.readAll(kafka.bootstrapServers(), topic);
        try (KafkaTestProducer sender = KafkaTestProducer.to(kafka.bootstrapServers())) {
            sender.redeliver(List.of(first.get(2), first.get(1), first.get(0)));
        }
        List<ConsumerRecord<String, String>> all = KafkaTestConsumer.readAll(kafka.bootstrapServers(), topic);
        assertThat(all).extracting(ConsumerRecord::value).containsExactly("a", "b", "c", "c", "b", "a");
        assertThat(all).extracting(ConsumerRecord::key).containsOnly("k");
        // the headers as they were: nothing added (no content-type), nothing lost
        assertThat(all.subList(3, 6)).extracting(KafkaTestConsumerTest::headers)
                .containsExactly(List.of("ce_type=Thing-c"), List.of("ce_type=Thing-b"), List.of("ce_type=Thing-a"));
    }

    private static List<String> headers(ConsumerRecord<String, String> r) {
        return java.util.Arrays.stream(r.headers().toArray())
                .map(h -> h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void fromEndSeesOnlyWhatIsWrittenAfterwardsAndAwaitFailsWithACount() throws Exception {
        String topic = "t-" + UUID.randomUUID();
        producer.send(new ProducerRecord<>(topic, "a", "before")).get();
        try (KafkaTestConsumer consumer = KafkaTestConsumer.fromEnd(kafka.bootstrapServers(), topic)) {
            producer.send(new ProducerRecord<>(topic, "a", "after")).get();
            assertThat(consumer.await(r -> r.key().equals("a"), 1, Duration.ofSeconds(30)))
                    .extracting(ConsumerRecord::value).containsExactly("after");
            assertThat(consumer.drainFor(Duration.ofMillis(300))).hasSize(1);
            assertThatThrownBy(() -> consumer.await(2, Duration.ofMillis(300)))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("expected at least 2").hasMessageContaining("got 1");
        }
    }
}
