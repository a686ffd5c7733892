package io.concertticket.queue.application;

import io.concertticket.queue.domain.ExpiryReason;
import io.concertticket.queue.domain.QueueToken;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;

/**
 * Expires waiting tokens of one room for a reason, one sweep batch per call and transaction: each becomes
 * EXPIRED with that reason and its TokenExpired goes to the outbox in the same transaction. Under the room's
 * row lock, like registration and admission, so the line's counters and its list of gaps change
 * consistently. Used by the abandon sweep ({@link DropAbandonedTokens}) and the end of a sale ({@link EndSales}).
 */
@ApplicationScoped
public class ExpireWaitingTokens {

    private final WaitingRooms rooms;
    private final QueueTokens tokens;
    private final TokenEventPublisher events;
    private final UseCaseSettings config;

    ExpireWaitingTokens(WaitingRooms rooms, QueueTokens tokens, TokenEventPublisher events, UseCaseSettings config) {
        this.rooms = rooms;
        this.tokens = tokens;
        this.events = events;
        this.config = config;
    }

    /**
     * @param notPolledSince only tokens whose owner has not polled since then; null: every waiting token (pre-queue included)
     * @return how many tokens were expired (a full sweep batch means there may be more)
     */
    @Transactional
    public int expireIn(long concertId, ExpiryReason reason, Instant notPolledSince) {
        if (!rooms.lock(concertId)) {
            return 0;
        }
        int batch = config.sweep().batchSize();
        List<QueueToken> expiring = notPolledSince == null
                ? tokens.headOfLine(concertId, batch)
                : tokens.waitingNotPolledSince(concertId, notPolledSince, batch);
        Instant now = Instant.now();
        for (QueueToken t : expiring) {
            t.expire(reason, now);
            events.expired(t);
        }
        if (!expiring.isEmpty()) {
            rooms.countDropped(concertId, expiring.size());
        }
        return expiring.size();
    }
}
