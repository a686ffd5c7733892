package io.concertticket.e2e.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The topics as an outside consumer sees them: a plain {@link KafkaConsumer}, partitions assigned
 * directly (no group), read from the beginning up to the end offsets of the moment of the call.
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
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
                if (infos != null) {
                    infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            List<Event> events = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topics + " to their end within 120 s");
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    events.add(parse(r));
                }
            }
            return events;
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
    public static Map<String, Set<String>> factsBy(List<Event> events, java.util.function.Function<Event, String> key) {
        return events.stream().collect(Collectors.groupingBy(key, Collectors.mapping(Event::id, Collectors.toSet())));
    }

    /**
     * Waits until every consumer group that reads these topics has committed offsets up to their
     * current end: whatever is on the topics now has been consumed. Returns the groups it saw.
     */
    public static Set<String> awaitConsumersCaughtUp(String bootstrap, Collection<String> topics, Duration max) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, Long> end = new java.util.HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            admin.describeTopics(topics).allTopicNames().get().forEach((name, d) -> d.partitions()
                    .forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
            admin.listOffsets(latest).all().get().forEach((tp, info) -> end.put(tp, info.offset()));
            long deadline = System.nanoTime() + max.toNanos();
            while (true) {
                Set<String> groups = admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get().stream()
                        .map(GroupListing::groupId).collect(Collectors.toSet());
                List<String> behind = new ArrayList<>();
                Set<String> readers = new java.util.TreeSet<>();
                for (String g : groups) {
                    Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed =
                            admin.listConsumerGroupOffsets(g).partitionsToOffsetAndMetadata().get();
                    for (var e : committed.entrySet()) {
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
                if (behind.isEmpty()) {
                    return readers;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("consumers still behind after " + max + ": " + behind);
                }
                Thread.sleep(300);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Re-publishes records exactly as they were (key, value, headers), in the given order. */
    public static void republish(String bootstrap, List<Event> events) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new StringSerializer())) {
            for (Event e : events) {
                ConsumerRecord<String, String> r = e.record();
                producer.send(new ProducerRecord<>(r.topic(), null, r.key(), r.value(), r.headers()));
            }
            producer.flush();
        }
    }
}
