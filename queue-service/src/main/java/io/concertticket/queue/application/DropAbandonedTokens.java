package io.concertticket.queue.application;

import io.concertticket.queue.domain.ExpiryReason;
import io.concertticket.queue.domain.QueueToken;
import io.concertticket.queue.infrastructure.QueueConfig;
import io.concertticket.queue.infrastructure.QueueTokenRepository;
import io.concertticket.queue.infrastructure.WaitingRoomRepository;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;

/**
 * Waiting tokens whose owner stopped polling become EXPIRED (reason ABANDONED), so they never hold
 * up the line. Works room by room under the room's row lock, like registration and admission, so the
 * line's counters and its list of gaps change consistently.
 */
@ApplicationScoped
public class DropAbandonedTokens {

    private final WaitingRoomRepository rooms;
    private final QueueTokenRepository tokens;
    private final TokenEventPublisher events;
    private final QueueConfig config;
    private final MeterRegistry meters;

    DropAbandonedTokens(WaitingRoomRepository rooms, QueueTokenRepository tokens, TokenEventPublisher events, QueueConfig config,
                        MeterRegistry meters) {
        this.rooms = rooms;
        this.tokens = tokens;
        this.events = events;
        this.config = config;
        this.meters = meters;
    }

    @Transactional
    public List<Long> roomsWithWaiting() {
        return rooms.roomsWithWaiting();
    }

    /** @return how many tokens were dropped (a full batch means there may be more) */
    @Transactional
    public int dropIn(long concertId) {
        if (!rooms.lock(concertId)) {
            return 0;
        }
        Instant now = Instant.now();
        Instant silentSince = now.minus(config.tokens().abandonAfter());
        List<QueueToken> abandoned = tokens.waitingNotPolledSince(concertId, silentSince, config.sweep().batchSize());
        for (QueueToken t : abandoned) {
            t.expire(ExpiryReason.ABANDONED, now);
            events.expired(t);
        }
        if (!abandoned.isEmpty()) {
            rooms.countDropped(concertId, abandoned.size());
        }
        meters.counter("queue.tokens.expired", "reason", ExpiryReason.ABANDONED.name()).increment(abandoned.size());
        return abandoned.size();
    }
}
