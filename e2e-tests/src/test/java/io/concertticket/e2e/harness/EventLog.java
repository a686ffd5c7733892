package io.concertticket.e2e.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.concertticket.testing.KafkaTestConsumer;
import io.concertticket.testing.KafkaTestProducer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * The topics as an outside consumer sees them, through platform-testing's Kafka clients: read with a
 * {@link KafkaTestConsumer} (partitions assigned directly, no group) from the beginning up to the end offsets of
 * the moment of the call, delivered again with a {@link KafkaTestProducer}.
 */
public final class EventLog {

    public static final String RESERVATION_EVENTS = "concert.reservation-events";
    public static final String PAYMENT_EVENTS = "payment.payment-events";
    public static final String TOKEN_EVENTS = "queue.token-events";
    public static final List<String> ALL = List.of(RESERVATION_EVENTS, PAYMENT_EVENTS, TOKEN_EVENTS);

    /** One record, with its CloudEvents envelope parsed. */
    public record Event(String topic, int partition, long offset, String key, String id, String type, JsonNode data,
                        ConsumerRecord<String, String> record) {

        public long longField(String field) {
            return data.path(field).asLong();
        }

        public String textField(String field) {
            return data.path(field).asText(null);
        }
    }

    private EventLog() {
    }

    /** Everything on these topics right now, in log order per partition. */
    public static List<Event> readAll(String bootstrap, Collection<String> topics) {
        try (KafkaTestConsumer reader = KafkaTestConsumer.fromBeginning(bootstrap, topics.toArray(String[]::new))) {
            return reader.readToEnd(Duration.ofSeconds(120)).stream().map(EventLog::parse).toList();
        }
    }

    private static Event parse(ConsumerRecord<String, String> r) {
        JsonNode envelope;
        try {
            envelope = Api.JSON.readTree(r.value());
        } catch (Exception e) {
            envelope = MissingNode.getInstance();
        }
        return new Event(r.topic(), r.partition(), r.offset(), r.key(), envelope.path("id").asText(null),
                envelope.path("type").asText(null), envelope.path("data"), r);
    }

    public static List<Event> ofType(List<Event> events, String type, Predicate<Event> filter) {
        return events.stream().filter(e -> type.equals(e.type())).filter(filter).toList();
    }

    /**
     * Distinct event ids per business key: one business fact is one event id, however often the
     * record was delivered. A key with more than one id is the same fact announced twice.
     */
    public static Map<String, Set<String>> factsBy(List<Event> events, Function<Event, String> key) {
        return events.stream().collect(Collectors.groupingBy(key, Collectors.mapping(Event::id, Collectors.toSet())));
    }

    /**
     * Waits until every consumer group that reads these topics has committed offsets up to their
     * current end: whatever is on the topics now has been consumed. Returns the groups it saw.
     */
    public static Set<String> awaitConsumersCaughtUp(String bootstrap, Collection<String> topics, Duration max) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get().forEach((name, d) -> d.partitions()
                    .forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, Long> end = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> end.put(tp, info.offset()));
            return await("every consumer group of " + topics + " caught up").atMost(max).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> progress(admin, end), p -> p.behind().isEmpty()).readers();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The groups that committed offsets on these partitions, and where one is still short of {@code end}. */
    private record Progress(Set<String> readers, List<String> behind) {
    }

    private static Progress progress(Admin admin, Map<TopicPartition, Long> end) throws InterruptedException, ExecutionException {
        Set<String> groups = admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get().stream()
                .map(GroupListing::groupId).collect(Collectors.toSet());
        Set<String> readers = new TreeSet<>();
        List<String> behind = new ArrayList<>();
        for (String g : groups) {
            for (var e : admin.listConsumerGroupOffsets(g).partitionsToOffsetAndMetadata().get().entrySet()) {
                Long target = end.get(e.getKey());
                if (target == null || e.getValue() == null) {
                    continue;
                }
                readers.add(g);
                if (e.getValue().offset() < target) {
                    behind.add(g + " " + e.getKey() + " at " + e.getValue().offset() + " of " + target);
                }
            }
        }
        return new Progress(readers, behind);
    }

    /** Re-publishes records exactly as they were (key, value, headers), in the given order. */
    public static void republish(String bootstrap, List<Event> events) {
        try (KafkaTestProducer producer = KafkaTestProducer.to(bootstrap)) {
            producer.redeliver(events.stream().map(Event::record).toList());
        }
    }
}
