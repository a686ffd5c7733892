package io.concertticket.kafkahealth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code kafka-check.*}: how often and how patiently {@link KafkaReachability} asks the broker. */
@ConfigMapping(prefix = "kafka-check")
public interface KafkaCheckConfig {

    /** Time between two checks. */
    @WithDefault("5s")
    Duration interval();

    /** How long one check waits for the broker before it counts as unreachable. */
    @WithDefault("3s")
    Duration timeout();

    /** What waits while the broker is away, as the health detail and the log say it. */
    @WithDefault("events wait in the outbox and are published when Kafka is back")
    String whileAway();
}
