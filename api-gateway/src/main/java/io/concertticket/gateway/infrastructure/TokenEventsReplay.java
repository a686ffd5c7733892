package io.concertticket.gateway.infrastructure;

import io.concertticket.gateway.application.RevocationReplay;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Positions the token-events consumer on its partitions: a fresh gateway has no revocations in memory,
 * so it replays the last {@code gateway.revocation.retention} of the topic (the longest a revoked token
 * could still look valid), not the whole history. It also tells when that replay has caught up with the
 * end of the topic as it was at assignment, which gates readiness: a replica that has not yet seen the
 * recent revocations must not take traffic.
 *
 * <p>Named for the messaging connector ({@code consumer-rebalance-listener.name}), and the default bean of its port
 * for the consumer.
 */
@ApplicationScoped
@Default
@Identifier(TokenEventsReplay.NAME)
public class TokenEventsReplay implements KafkaConsumerRebalanceListener, RevocationReplay {

    public static final String NAME = "token-events-replay";
    private static final Logger LOG = Logger.getLogger(TokenEventsReplay.class);

    private final long retentionMillis;
    /** Per partition still being replayed: the offset that must be consumed before it has caught up. */
    private final Map<Integer, Long> pending = new ConcurrentHashMap<>();
    private volatile boolean assigned;

    public TokenEventsReplay(GatewayConfig config) {
        this.retentionMillis = config.revocation().retention().toMillis();
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        long since = System.currentTimeMillis() - retentionMillis;
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, since));
        Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(query);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        for (TopicPartition p : partitions) {
            OffsetAndTimestamp start = starts.get(p);
            long end = ends.getOrDefault(p, 0L);
            long from = start == null ? end : start.offset();
            consumer.seek(p, from);
            if (from < end) {
                pending.put(p.partition(), end - 1);
            } else {
                pending.remove(p.partition());
            }
            LOG.infof("Replaying %s from offset %d (end %d)", p, from, end);
        }
        assigned = true;
    }

    /** A partition whose replay this record ends has caught up. */
    @Override
    public void consumed(int partition, long offset) {
        Long last = pending.get(partition);
        if (last != null && offset >= last) {
            pending.remove(partition);
        }
    }

    /** True once partitions were assigned and everything revoked within the retention has been applied. */
    public boolean caughtUp() {
        return assigned && pending.isEmpty();
    }
}
