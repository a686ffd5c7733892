package io.concertticket.events.contract;

import io.concertticket.events.Event;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code queue.token-events}, produced by queue-service, read by every gateway replica (revocations); keyed by
 * user id, since revocations are per account (docs/architecture.md, D2).
 */
public final class TokenEvents {

    public static final String TOPIC = "queue.token-events";

    private TokenEvents() {
    }

    /** Every event of the topic: about one queue token of one user. */
    public sealed interface TokenEvent extends Event permits TokenActivated, TokenExpired {
        UUID tokenId();

        String userId();

        @Override
        default String topic() {
            return TOPIC;
        }

        @Override
        default String key() {
            return userId();
        }

        @Override
        default String subject() {
            return "queue-token/" + tokenId();
        }
    }

    public record TokenActivated(UUID tokenId, String userId, Long concertId, Instant activatedAt, Instant expiresAt)
            implements TokenEvent {
    }

    /** {@code reason}: an ExpiryReason of queue-service (TIMEOUT, PAYMENT_COMPLETED, SALE_CLOSED, ...). */
    public record TokenExpired(UUID tokenId, String userId, Long concertId, String reason, Instant expiredAt)
            implements TokenEvent {
    }
}
