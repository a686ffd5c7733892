package io.concertticket.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concertticket.testing.CloudEvents;
import io.concertticket.testing.KafkaTestConsumer;
import io.concertticket.testing.KafkaTestProducer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/** The test broker through platform-testing's plain Kafka clients, as another service (or the gateway) would use it. */
public final class KafkaTestSupport {

    public static final ObjectMapper JSON = new ObjectMapper();

    private KafkaTestSupport() {
    }

    private static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    /** A CloudEvent as payment-service publishes it, about the reservation in {@code data} (if any). */
    public static String cloudEvent(UUID id, String type, int dataVersion, Map<String, Object> data) {
        return CloudEvents.json(id, "/payment-service", type, "reservation/" + data.getOrDefault("reservationId", "0"), dataVersion, data);
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

    /** Sends {@code values} in order with {@code key}, each acknowledged by the broker. */
    public static void send(String topic, String key, String... values) {
        try (KafkaTestProducer producer = KafkaTestProducer.to(bootstrap())) {
            producer.send(topic, key, values);
        }
    }

    /**
     * Reads {@code topic} from the beginning until a record matching {@code until} shows up and returns every
     * record read; fails if none does within {@code timeout}.
     */
    public static List<ConsumerRecord<String, String>> readUntil(String topic, Predicate<ConsumerRecord<String, String>> until, Duration timeout) {
        return KafkaTestConsumer.readUntil(bootstrap(), topic, until, timeout);
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
