package io.concertticket.queue.application;

import io.concertticket.events.OutboxPublisher;
import io.concertticket.events.contract.TokenEvents.TokenActivated;
import io.concertticket.events.contract.TokenEvents.TokenExpired;
import io.concertticket.queue.domain.QueueToken;
import jakarta.enterprise.context.ApplicationScoped;

/** Writes TokenActivated / TokenExpired to the outbox in the caller's transaction (keyed by user, see TokenEvents). */
@ApplicationScoped
public class TokenEventPublisher {

    private final OutboxPublisher outbox;

    TokenEventPublisher(OutboxPublisher outbox) {
        this.outbox = outbox;
    }

    public void activated(QueueToken t) {
        outbox.publish(new TokenActivated(t.id(), t.userId(), t.concertId(), t.activatedAt(), t.expiresAt()));
    }

    public void expired(QueueToken t) {
        outbox.publish(new TokenExpired(t.id(), t.userId(), t.concertId(),
                t.expiryReason() == null ? null : t.expiryReason().name(), t.expiredAt()));
    }
}
