package io.concertticket.queue.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * An immutable copy of a token as one replica last saw it. Because a token's status only moves
 * forward, two copies taken at different times combine safely: the more advanced one wins, in
 * whatever order a cache receives them.
 */
public record TokenSnapshot(UUID id, long concertId, String userId, long seq, TokenStatus status,
                            Instant activatedAt, Instant expiresAt, ExpiryReason expiryReason) {

    public static TokenSnapshot of(QueueToken t) {
        return new TokenSnapshot(t.id(), t.concertId(), t.userId(), t.seq(), t.status(), t.activatedAt(), t.expiresAt(), t.expiryReason());
    }

    public static TokenSnapshot waiting(UUID id, long concertId, String userId, long seq) {
        return new TokenSnapshot(id, concertId, userId, seq, TokenStatus.STANDBY, null, null, null);
    }

    /** Only the account that registered a token may see it (and its access token). */
    public boolean isOwnedBy(String accountId) {
        return userId.equals(accountId);
    }

    public TokenSnapshot newest(TokenSnapshot other) {
        if (other == null) {
            return this;
        }
        // a pre-queue token's provisional (negative) number is replaced by its place at the opening
        boolean placedAtOpening = other.status == status && seq < 0 && other.seq > 0;
        return other.status.isAfter(status) || placedAtOpening ? other : this;
    }

    /** Waiting in a sale's pre-queue: no place in line until the opening shuffles the pre-queue. */
    public boolean inPreQueue() {
        return status == TokenStatus.STANDBY && seq < 0;
    }

    /** The status a client should see at {@code now}: an ACTIVE token past its expiry is over even before the sweep records it. */
    public TokenStatus statusAt(Instant now) {
        return status == TokenStatus.ACTIVE && !now.isBefore(expiresAt) ? TokenStatus.EXPIRED : status;
    }

    public ExpiryReason expiryReasonAt(Instant now) {
        return status == TokenStatus.ACTIVE && statusAt(now) == TokenStatus.EXPIRED ? ExpiryReason.TIMEOUT : expiryReason;
    }
}
