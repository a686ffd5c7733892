package io.concertticket.queue.application;

import io.concertticket.queue.domain.ExpiryReason;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;

/**
 * Waiting tokens whose owner stopped polling become EXPIRED (reason ABANDONED), so they never hold
 * up the line. Room by room, one batch at a time ({@link ExpireWaitingTokens}).
 */
@ApplicationScoped
public class DropAbandonedTokens {

    private final WaitingRooms rooms;
    private final ExpireWaitingTokens expiry;
    private final UseCaseSettings config;

    DropAbandonedTokens(WaitingRooms rooms, ExpireWaitingTokens expiry, UseCaseSettings config) {
        this.rooms = rooms;
        this.expiry = expiry;
        this.config = config;
    }

    @Transactional
    public List<Long> roomsWithWaiting() {
        return rooms.roomsWithWaiting();
    }

    /** @return how many tokens were dropped (a full batch means there may be more) */
    public int dropIn(long concertId) {
        return expiry.expireIn(concertId, ExpiryReason.ABANDONED, Instant.now().minus(config.tokens().abandonAfter()));
    }
}
