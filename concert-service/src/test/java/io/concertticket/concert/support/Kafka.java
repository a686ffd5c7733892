package io.concertticket.concert.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concertticket.testing.CloudEvents;
import io.concertticket.testing.KafkaTestConsumer;
import io.concertticket.testing.KafkaTestProducer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The test broker through platform-testing's plain Kafka clients: what an outside consumer sees, and events sent
 * as payment-service would publish them.
 */
public final class Kafka {

    private static final ObjectMapper JSON = new ObjectMapper();

    public record Event(String key, JsonNode envelope, Map<String, String> headers) {
        public String type() {
            return envelope.path("type").asText();
        }

        public JsonNode data() {
            return envelope.path("data");
        }
    }

    private Kafka() {
    }

    private static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    /** Sends raw messages (e.g. the same CloudEvent twice) with the given key. */
    public static void send(String topic, String key, String... values) {
        try (KafkaTestProducer producer = KafkaTestProducer.to(bootstrap())) {
            producer.send(topic, key, values);
        }
    }

    /** One producer for many sends (hundreds of events without a producer, its connection and metadata each); close it. */
    public static KafkaTestProducer producer() {
        return KafkaTestProducer.to(bootstrap());
    }

    /** A CloudEvents envelope as payment-service would publish it. */
    public static String cloudEvent(UUID id, String type, Object data) {
        return CloudEvents.json(id, "/payment-service", type, "test", 1, data);
    }

    /**
     * Reads {@code topic} from the beginning up to its current end (as of the call), keeping the
     * events that match. Everything published before the call is seen exactly as often as it is on the topic.
     */
    public static List<Event> readAll(String topic, Predicate<Event> filter) {
        return KafkaTestConsumer.readAll(bootstrap(), topic).stream().map(Kafka::event).filter(filter).toList();
    }

    private static Event event(ConsumerRecord<String, String> r) {
        Map<String, String> headers = new HashMap<>();
        r.headers().forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
        return new Event(r.key(), parse(r.value()), headers);
    }

    private static JsonNode parse(String value) {
        try {
            return JSON.readTree(value);
        } catch (Exception e) {
            return JSON.getNodeFactory().textNode(value == null ? "" : value);
        }
    }
}
