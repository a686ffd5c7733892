package io.concertticket.queue.application;

import io.concertticket.queue.domain.AdmissionState;
import io.concertticket.queue.domain.ExpiryReason;
import io.concertticket.queue.domain.TokenStatus;

import java.time.Instant;
import java.util.UUID;

/**
 * What a client learns about its token; null fields do not apply to the status. While waiting,
 * {@code waitTimeKnown} says whether {@code estimatedWaitSeconds} means anything, and {@code admission}
 * whether the sale admits at all. {@code preQueueUntil}: the token waits in its sale's pre-queue, without a
 * place (position 0) until the opening at that time.
 */
public record TokenView(UUID token, long concertId, TokenStatus status, long position, long estimatedWaitSeconds,
                        Long pollAfterSeconds, String accessToken, Instant expiresAt, ExpiryReason reason,
                        Boolean waitTimeKnown, AdmissionState admission, Instant preQueueUntil) {
}
