package io.concertticket.queue.application;

import io.concertticket.events.OutboxPublisher;
import io.concertticket.queue.domain.QueueToken;
import io.concertticket.queue.domain.TokenEvents;
import io.concertticket.queue.infrastructure.QueueConfig;
import jakarta.enterprise.context.ApplicationScoped;

/** Writes TokenActivated / TokenExpired to the outbox in the caller's transaction, keyed by user. */
@ApplicationScoped
public class TokenEventPublisher {

    private final OutboxPublisher outbox;
    private final QueueConfig config;

    TokenEventPublisher(OutboxPublisher outbox, QueueConfig config) {
        this.outbox = outbox;
        this.config = config;
    }

    public void activated(QueueToken t) {
        outbox.publish(config.topics().tokenEvents(), t.userId(), TokenEvents.ACTIVATED, subject(t), TokenEvents.VERSION,
                TokenEvents.TokenActivated.of(t));
    }

    public void expired(QueueToken t) {
        outbox.publish(config.topics().tokenEvents(), t.userId(), TokenEvents.EXPIRED, subject(t), TokenEvents.VERSION,
                TokenEvents.TokenExpired.of(t));
    }

    private static String subject(QueueToken t) {
        return "queue-token/" + t.id();
    }
}
