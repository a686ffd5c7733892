package io.concertticket.queue.application;

import java.time.Instant;
import java.util.UUID;

/**
 * payment-service's PaymentCompleted, data schema version 1 (the fields the queue needs and a few for
 * logs). {@code admissionTokenId} is the queue token (the admission token's jti) the payment was made
 * with: the one token the payment uses up.
 */
public record PaymentCompleted(UUID paymentId, Long reservationId, String userId, Long concertId, UUID admissionTokenId,
                               Long amount, Instant paidAt) {
}
