package io.concertticket.queue.application;

import io.concertticket.events.OutboxPublisher;
import io.concertticket.events.contract.TokenEvents.TokenActivated;
import io.concertticket.events.contract.TokenEvents.TokenExpired;
import io.concertticket.queue.domain.ExpiryReason;
import io.concertticket.queue.domain.QueueToken;
import io.concertticket.queue.domain.TokenSnapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Writes TokenActivated / TokenExpired to the outbox in the caller's transaction (keyed by user, see TokenEvents).
 * Every expiry passes here, so this is also where {@code queue.tokens.expired} counts them by reason.
 */
@ApplicationScoped
public class TokenEventPublisher {

    private final OutboxPublisher outbox;
    private final Map<ExpiryReason, Counter> expiredByReason = new EnumMap<>(ExpiryReason.class);

    TokenEventPublisher(OutboxPublisher outbox, MeterRegistry meters) {
        this.outbox = outbox;
        for (ExpiryReason reason : ExpiryReason.values()) {
            expiredByReason.put(reason, meters.counter("queue.tokens.expired", "reason", reason.name()));
        }
    }

    /** {@code activated} have just become ACTIVE in the caller's transaction; their events in that order. */
    public void activated(List<TokenSnapshot> activated) {
        outbox.publishAll(activated.stream()
                .map(t -> new TokenActivated(t.id(), t.userId(), t.concertId(), t.activatedAt(), t.expiresAt()))
                .toList());
    }

    /** {@code t} has just expired (with its reason) in the caller's transaction. */
    public void expired(QueueToken t) {
        outbox.publish(new TokenExpired(t.id(), t.userId(), t.concertId(),
                t.expiryReason() == null ? null : t.expiryReason().name(), t.expiredAt()));
        if (t.expiryReason() != null) {
            expiredByReason.get(t.expiryReason()).increment();
        }
    }
}
