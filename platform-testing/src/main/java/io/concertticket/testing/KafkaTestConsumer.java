package io.concertticket.testing;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads topics with a real {@link KafkaConsumer}, the way an outside team would, without joining a
 * consumer group (partitions are assigned directly, so there is no rebalance to wait for).
 *
 * <pre>{@code
 * try (KafkaTestConsumer topic = KafkaTestConsumer.fromBeginning(bootstrapServers, "concert.reservation-events")) {
 *     List<ConsumerRecord<String, String>> held = topic.await(r -> r.key().equals(id), 1, Duration.ofSeconds(20));
 * }
 * }</pre>
 * Not thread-safe: use it from the test thread.
 */
public final class KafkaTestConsumer implements AutoCloseable {

    private static final Duration PARTITIONS_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> records = new ArrayList<>();

    private KafkaTestConsumer(String bootstrapServers, List<String> topics, boolean fromBeginning) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, true),
                new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            partitions.addAll(partitionsOf(topic));
        }
        consumer.assign(partitions);
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
        }
        // Resolve the positions now, so "from the end" means "from now", not "from the first poll".
        partitions.forEach(consumer::position);
    }

    /** Everything on these topics, from the first record on. Creates a missing topic (broker default partitions). */
    public static KafkaTestConsumer fromBeginning(String bootstrapServers, String... topics) {
        return new KafkaTestConsumer(bootstrapServers, List.of(topics), true);
    }

    /** Everything on {@code topic} now: read from its beginning up to its end as of this call. */
    public static List<ConsumerRecord<String, String>> readAll(String bootstrapServers, String topic) {
        try (KafkaTestConsumer reader = fromBeginning(bootstrapServers, topic)) {
            return reader.readToEnd(Duration.ofSeconds(60));
        }
    }

    /**
     * Reads {@code topic} from its beginning until a record matches {@code until}; returns every record received by
     * then, the match among them.
     *
     * @throws AssertionError if none matches within {@code timeout}
     */
    public static List<ConsumerRecord<String, String>> readUntil(String bootstrapServers, String topic,
                                                                 Predicate<ConsumerRecord<String, String>> until, Duration timeout) {
        try (KafkaTestConsumer reader = fromBeginning(bootstrapServers, topic)) {
            reader.await(until, 1, timeout);
            return reader.records();
        }
    }

    /** Only what is written to these topics from now on. */
    public static KafkaTestConsumer fromEnd(String bootstrapServers, String... topics) {
        return new KafkaTestConsumer(bootstrapServers, List.of(topics), false);
    }

    private List<TopicPartition> partitionsOf(String topic) {
        long deadline = System.nanoTime() + PARTITIONS_TIMEOUT.toNanos();
        while (true) {
            List<PartitionInfo> infos;
            try {
                infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                infos = List.of();
            }
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + topic + " has no partitions after " + PARTITIONS_TIMEOUT);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Polls once for up to {@code timeout}; returns the records received by this call. */
    public List<ConsumerRecord<String, String>> poll(Duration timeout) {
        List<ConsumerRecord<String, String>> fresh = new ArrayList<>();
        consumer.poll(timeout).forEach(fresh::add);
        records.addAll(fresh);
        return fresh;
    }

    /**
     * Polls until every partition is read up to its end as of this call; returns all records received so far.
     *
     * @throws AssertionError if that takes longer than {@code timeout}
     */
    public List<ConsumerRecord<String, String>> readToEnd(Duration timeout) {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("could not read " + end.keySet() + " to their end " + end + " within " + timeout);
            }
            poll(Duration.ofMillis(200));
        }
        return records();
    }

    /** Polls until at least {@code n} records in total have been received; returns them all. */
    public List<ConsumerRecord<String, String>> await(int n, Duration timeout) {
        return await(r -> true, n, timeout);
    }

    /**
     * Polls until at least {@code n} received records match {@code filter}; returns the matching ones
     * in the order they were received (per partition, that is the log's order).
     *
     * @throws AssertionError if they do not arrive within {@code timeout}
     */
    public List<ConsumerRecord<String, String>> await(Predicate<ConsumerRecord<String, String>> filter, int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<ConsumerRecord<String, String>> matching = records.stream().filter(filter).toList();
            if (matching.size() >= n) {
                return matching;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("expected at least " + n + " matching records, got " + matching.size()
                        + " within " + timeout + " (" + records.size() + " records received in all)");
            }
            poll(Duration.ofNanos(Math.min(left, Duration.ofMillis(200).toNanos())));
        }
    }

    /**
     * Waits for at least {@code n} records keyed by one of {@code keys}, keeps reading for {@code settle}
     * more (so that an unexpected extra record with one of those keys is caught too), and returns every
     * record with one of those keys, in the order received.
     */
    public List<ConsumerRecord<String, String>> awaitSettled(Set<String> keys, int n, Duration timeout, Duration settle) {
        await(r -> keys.contains(r.key()), n, timeout);
        drainFor(settle);
        return records().stream().filter(r -> keys.contains(r.key())).toList();
    }

    /** Keeps polling for {@code duration} (to show that nothing more arrives); returns everything received so far. */
    public List<ConsumerRecord<String, String>> drainFor(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            poll(Duration.ofNanos(Math.min(left, Duration.ofMillis(200).toNanos())));
        }
        return records();
    }

    /** All records received so far, in the order received. */
    public List<ConsumerRecord<String, String>> records() {
        return Collections.unmodifiableList(new ArrayList<>(records));
    }

    /** The last value of a header as UTF-8 text, or null. */
    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
