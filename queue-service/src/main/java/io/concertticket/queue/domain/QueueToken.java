package io.concertticket.queue.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One user's place in one concert's waiting room. Registration inserts the rows and admission activates them
 * in one statement each (see the repositories); every later change goes through {@link #expire}.
 * {@code last_polled_at} and {@code change_xid} are deliberately not mapped: the first is written in
 * batches by the poll recorder, the second by a trigger.
 */
@Entity
@Table(name = "queue_token")
public class QueueToken {

    @Id
    private UUID id;
    @Column(name = "concert_id", nullable = false, updatable = false)
    private long concertId;
    @Column(name = "user_id", nullable = false, updatable = false)
    private String userId;
    @Column(nullable = false, updatable = false)
    private long seq;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private TokenStatus status;
    @Column(name = "registered_at", nullable = false, updatable = false)
    private Instant registeredAt;
    @Column(name = "activated_at")
    private Instant activatedAt;
    @Column(name = "expires_at")
    private Instant expiresAt;
    @Column(name = "expired_at")
    private Instant expiredAt;
    @Enumerated(EnumType.STRING)
    @Column(name = "expiry_reason")
    private ExpiryReason expiryReason;

    protected QueueToken() {
    }

    /** A freshly registered token (the row itself is written by the registration statement). */
    public QueueToken(UUID id, long concertId, String userId, long seq, Instant registeredAt) {
        this.id = Objects.requireNonNull(id);
        this.concertId = concertId;
        this.userId = Objects.requireNonNull(userId);
        this.seq = seq;
        this.registeredAt = registeredAt;
        this.status = TokenStatus.STANDBY;
    }

    /**
     * → EXPIRED. A waiting token can only be abandoned or outlived by its sale; an active one times out, is
     * used up by a payment or is ended by an operator's emergency stop. Expiring twice is a caller bug (sweeps
     * and consumers select live tokens under a lock).
     */
    public void expire(ExpiryReason reason, Instant now) {
        boolean allowed = switch (reason) {
            case ABANDONED, SALE_CLOSED -> status == TokenStatus.STANDBY;
            case TIMEOUT, PAYMENT_COMPLETED, ENDED_BY_OPERATOR -> status == TokenStatus.ACTIVE;
        };
        if (!allowed) {
            throw new IllegalTokenTransitionException(id, status, "expire (" + reason + ")");
        }
        status = TokenStatus.EXPIRED;
        expiryReason = reason;
        expiredAt = now;
    }

    /** Whether this is {@code userId}'s place in {@code concertId}'s waiting room. */
    public boolean belongsTo(String userId, long concertId) {
        return this.userId.equals(userId) && this.concertId == concertId;
    }

    public UUID id() {
        return id;
    }

    public long concertId() {
        return concertId;
    }

    public String userId() {
        return userId;
    }

    public long seq() {
        return seq;
    }

    public TokenStatus status() {
        return status;
    }

    public Instant activatedAt() {
        return activatedAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public Instant expiredAt() {
        return expiredAt;
    }

    public ExpiryReason expiryReason() {
        return expiryReason;
    }
}
