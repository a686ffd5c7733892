package io.concertticket.queue.domain;

import java.time.Instant;
import java.util.UUID;

/** The payloads (schema version 1) of the events on {@code queue.token-events}, keyed by userId. */
public final class TokenEvents {

    public static final String ACTIVATED = "TokenActivated";
    public static final String EXPIRED = "TokenExpired";
    public static final int VERSION = 1;

    private TokenEvents() {
    }

    public record TokenActivated(UUID tokenId, String userId, long concertId, Instant activatedAt, Instant expiresAt) {
        public static TokenActivated of(QueueToken t) {
            return new TokenActivated(t.id(), t.userId(), t.concertId(), t.activatedAt(), t.expiresAt());
        }
    }

    public record TokenExpired(UUID tokenId, String userId, long concertId, ExpiryReason reason, Instant expiredAt) {
        public static TokenExpired of(QueueToken t) {
            return new TokenExpired(t.id(), t.userId(), t.concertId(), t.expiryReason(), t.expiredAt());
        }
    }
}
