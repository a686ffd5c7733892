package io.concertticket.events;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The operator's replay of dead letters after a fix: every record on this service's dead-letter topics
 * that names one of its channels ({@code dead-letter-topic} header) goes back through that channel's
 * handler, the same code that refused it. Idempotent: handlers apply an event id once (inbox), and the
 * consumer group {@code <service>.dead-letter-replay} remembers how far replays got, so a second replay
 * only looks at letters written since ({@code fromBeginning} looks at all of them again, harmlessly).
 * A letter that is still poison is reported and passed; a transient failure is retried as on the channel.
 */
@ApplicationScoped
public class DeadLetterReplay {

    private static final Logger LOG = Logger.getLogger(DeadLetterReplay.class);
    private static final Duration POLL = Duration.ofMillis(500);

    /** What one replay did. */
    public record Report(List<String> deadLetterTopics, int scanned, int applied, int stillPoison, int notForThisService,
                         List<String> stillPoisonReasons) {
    }

    private final Instance<EventChannel> channels;
    private final Map<String, Object> kafkaConfig;
    private final Config config;

    DeadLetterReplay(@Any Instance<EventChannel> channels, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                     Config config) {
        this.channels = channels;
        this.kafkaConfig = kafkaConfig;
        this.config = config;
    }

    /** The consumer group replays commit to; the ACLs and asyncapi.yaml grant it. */
    public String group() {
        return config.getValue("quarkus.application.name", String.class) + ".dead-letter-replay";
    }

    public synchronized Report replay(boolean fromBeginning) {
        Map<String, EventChannel> byTopic = new HashMap<>();
        List<String> deadLetterTopics = new ArrayList<>();
        for (EventChannel channel : channels) {
            String prefix = "mp.messaging.incoming." + channel.channel() + ".";
            byTopic.put(config.getOptionalValue(prefix + "topic", String.class).orElse(channel.channel()), channel);
            config.getOptionalValue(prefix + "dead-letter-queue.topic", String.class)
                    .filter(t -> !deadLetterTopics.contains(t)).ifPresent(deadLetterTopics::add);
        }
        int scanned = 0;
        int applied = 0;
        int notForUs = 0;
        List<String> poison = new ArrayList<>();
        if (deadLetterTopics.isEmpty()) {
            return new Report(deadLetterTopics, 0, 0, 0, 0, poison);
        }
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> partitions = deadLetterTopics.stream()
                    .flatMap(t -> consumer.partitionsFor(t).stream().map(p -> new TopicPartition(t, p.partition()))).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(partitions));
            for (TopicPartition p : partitions) {
                OffsetAndMetadata c = committed.get(p);
                if (fromBeginning || c == null) {
                    consumer.seekToBeginning(List.of(p));
                } else {
                    consumer.seek(p, c.offset());
                }
            }
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, String> r : consumer.poll(POLL)) {
                    if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
                        continue; // written during this replay: the next one sees it
                    }
                    scanned++;
                    EventChannel channel = byTopic.get(header(r, "dead-letter-topic"));
                    if (channel == null) {
                        notForUs++;
                    } else {
                        AtomicReference<String> outcome = new AtomicReference<>();
                        channel.on(Message.of(r.value(), () -> {
                            outcome.set("applied");
                            return CompletableFuture.completedFuture(null);
                        }, reason -> {
                            outcome.set(reason.getMessage());
                            return CompletableFuture.completedFuture(null);
                        })).toCompletableFuture().join();
                        if (outcome.get() == null) {
                            break; // the service is stopping: commit only what was settled
                        } else if ("applied".equals(outcome.get())) {
                            applied++;
                        } else {
                            poison.add(r.topic() + "/" + r.partition() + "@" + r.offset() + ": " + outcome.get());
                        }
                    }
                    consumer.commitSync(Map.of(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1)));
                }
            }
        }
        Report report = new Report(deadLetterTopics, scanned, applied, poison.size(), notForUs, poison);
        LOG.infof("dead-letter replay (%s): %s", fromBeginning ? "from the beginning" : "since the last replay", report);
        return report;
    }

    private KafkaConsumer<String, String> consumer() {
        Map<String, Object> props = new LinkedHashMap<>();
        kafkaConfig.forEach((k, v) -> { // the broker and credentials, as for the relay's producer
            if (k.startsWith("bootstrap.servers") || k.startsWith("security.") || k.startsWith("sasl.") || k.startsWith("ssl.")) {
                props.put(k, v);
            }
        });
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, group());
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
