package io.concertticket.queue.application;

import java.time.Instant;
import java.util.UUID;

/** payment-service's PaymentCompleted, data schema version 1 (the fields the queue needs and a few for logs). */
public record PaymentCompleted(UUID paymentId, Long reservationId, String userId, Long concertId, Long amount, Instant paidAt) {
}
