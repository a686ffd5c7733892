package io.concertticket.queue.application;

import io.concertticket.queue.domain.QueueToken;
import io.concertticket.queue.domain.TokenSnapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The queue tokens in the database, read and changed inside the caller's transaction. */
public interface QueueTokens {

    /** Tokens one admission round activated, in arrival order, and the room's latest arrival number as of the same snapshot. */
    record ActivatedBatch(List<TokenSnapshot> activated, long lastSeq) {
    }

    /** The first {@code limit} waiting tokens in arrival order (a pre-queue first), locked (the caller holds the room lock). */
    List<QueueToken> headOfLine(long concertId, int limit);

    /**
     * The first {@code limit} waiting tokens in arrival order become ACTIVE from {@code now} until
     * {@code now + activePeriod}, all at once (the caller holds the room's admission lock).
     */
    ActivatedBatch activateHeadOfLine(long concertId, int limit, Instant now, Duration activePeriod);

    long countActive(long concertId);

    /** Every ACTIVE token of a concert, locked (the caller holds the room lock). */
    List<QueueToken> activeOf(long concertId);

    /** ACTIVE tokens past their expiry, locked; rows another replica is sweeping are skipped. */
    List<QueueToken> activePastExpiry(Instant now, int limit);

    /** Waiting tokens of a room not polled since {@code since}, locked (the caller holds the room lock). */
    List<QueueToken> waitingNotPolledSince(long concertId, Instant since, int limit);

    /** The token, locked. */
    Optional<QueueToken> lockedById(UUID id);
}
