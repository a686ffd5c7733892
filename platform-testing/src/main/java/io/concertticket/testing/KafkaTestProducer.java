package io.concertticket.testing;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Sends records with a real {@link KafkaProducer} the way a service's outbox relay does ({@code acks=all}, header
 * {@code content-type: application/cloudevents+json}), each acknowledged before {@link #send} returns, so a test
 * that sends and then waits for the effect knows the broker has the record. Thread-safe.
 *
 * <pre>{@code
 * try (KafkaTestProducer kafka = KafkaTestProducer.to(bootstrapServers)) {
 *     kafka.send("payment.payment-events", reservationId, CloudEvents.json("/payment-service", "PaymentCompleted", subject, data));
 * }
 * }</pre>
 */
public final class KafkaTestProducer implements AutoCloseable {

    private final KafkaProducer<String, String> producer;

    private KafkaTestProducer(String bootstrapServers) {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new StringSerializer());
    }

    public static KafkaTestProducer to(String bootstrapServers) {
        return new KafkaTestProducer(bootstrapServers);
    }

    /** Sends {@code values} in order, all with {@code key} (e.g. the same event twice, or a poison record). */
    public void send(String topic, String key, String... values) {
        for (String value : values) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
            record.headers().add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
            acknowledged(producer.send(record), topic);
        }
    }

    /**
     * Delivers records read from a topic again, exactly as they were (topic, key, value and headers; the partition
     * the key gives), in the order given: a consumer then sees them a second time, as after a redelivery. Sent
     * without waiting for each (the producer keeps their order); returns once the broker acknowledged them all.
     */
    public void redeliver(List<ConsumerRecord<String, String>> records) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            sent.add(producer.send(new ProducerRecord<>(r.topic(), null, r.key(), r.value(), r.headers())));
        }
        for (int i = 0; i < sent.size(); i++) {
            acknowledged(sent.get(i), records.get(i).topic());
        }
    }

    private static void acknowledged(Future<RecordMetadata> sent, String topic) {
        try {
            sent.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted sending to " + topic, e);
        } catch (Exception e) {
            throw new AssertionError("cannot send to " + topic, e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
