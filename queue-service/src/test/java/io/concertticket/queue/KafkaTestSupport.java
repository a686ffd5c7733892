package io.concertticket.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

/** Plain Kafka clients, as another service (or the gateway) would use them. */
public final class KafkaTestSupport {

    public static final ObjectMapper JSON = new ObjectMapper();

    private KafkaTestSupport() {
    }

    private static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    /** A CloudEvents 1.0 structured-mode message as payment-service publishes it. */
    public static String cloudEvent(UUID id, String type, int dataVersion, Map<String, Object> data) {
        ObjectNode e = JSON.createObjectNode();
        e.put("specversion", "1.0");
        e.put("id", id.toString());
        e.put("source", "/payment-service");
        e.put("type", type);
        e.put("time", Instant.now().toString());
        e.put("subject", "reservation/" + data.getOrDefault("reservationId", "0"));
        e.put("datacontenttype", "application/json");
        e.put("dataversion", dataVersion);
        e.set("data", JSON.valueToTree(data));
        return e.toString();
    }

    /** PaymentCompleted's data: {@code admissionTokenId} is the queue token the payment was admitted with. */
    public static Map<String, Object> paymentData(String userId, long concertId, long reservationId, String admissionTokenId) {
        Map<String, Object> data = new HashMap<>(paymentDataWithoutAdmission(userId, concertId, reservationId));
        data.put("admissionTokenId", admissionTokenId);
        return data;
    }

    /** As payment-service wrote PaymentCompleted before it carried admissionTokenId. */
    public static Map<String, Object> paymentDataWithoutAdmission(String userId, long concertId, long reservationId) {
        return Map.of("paymentId", UUID.randomUUID().toString(), "reservationId", reservationId, "userId", userId,
                "concertId", concertId, "amount", 50_000, "paidAt", Instant.now().toString());
    }

    public static void send(String topic, String key, String... values) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (String v : values) {
                ProducerRecord<String, String> r = new ProducerRecord<>(topic, key, v);
                r.headers().add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
                producer.send(r);
            }
            producer.flush();
        }
    }

    /**
     * Reads {@code topic} from the beginning until a record matching {@code until} shows up (or the
     * timeout passes) and returns every record read.
     */
    public static List<ConsumerRecord<String, String>> readUntil(String topic, Predicate<ConsumerRecord<String, String>> until, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "queue-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    seen.add(r);
                    if (until.test(r)) {
                        return seen;
                    }
                }
            }
        }
        throw new AssertionError("no matching record on " + topic + " within " + timeout + " (" + seen.size() + " read)");
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Whether the record is a queue event of {@code type} about {@code tokenId}. */
    public static boolean isTokenEvent(ConsumerRecord<String, String> r, String type, String tokenId) {
        JsonNode e = parse(r.value());
        return type.equals(e.path("type").asText()) && tokenId.equals(e.path("data").path("tokenId").asText());
    }
}
