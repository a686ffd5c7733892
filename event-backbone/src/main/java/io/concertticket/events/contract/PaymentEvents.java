package io.concertticket.events.contract;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code payment.payment-events}, produced by payment-service (the one decider of paid versus expired),
 * consumed by concert-service and queue-service; keyed by reservation id. Wrapper types: a consumer finds a
 * missing field as null.
 */
public final class PaymentEvents {

    public static final String TOPIC = "payment.payment-events";

    private PaymentEvents() {
    }

    /** Every event of the topic. */
    public sealed interface PaymentEvent extends AboutReservation permits PaymentCompleted, PaymentRefunded, PaymentWindowClosed {
        @Override
        default String topic() {
            return TOPIC;
        }
    }

    /** {@code admissionTokenId}: the queue token the payment was made with; queue-service expires exactly that one. */
    public record PaymentCompleted(UUID paymentId, Long reservationId, String userId, Long concertId, UUID admissionTokenId,
                                   Long amount, Instant paidAt) implements PaymentEvent {
    }

    /** Only from the refund path kept for a rolling upgrade (docs/architecture.md, Refunds). */
    public record PaymentRefunded(UUID paymentId, Long reservationId, String userId, Long concertId, Long amount,
                                  Instant refundedAt) implements PaymentEvent {
    }

    /**
     * The reservation's deadline passed unpaid and payment-service closed its payment window for good: no
     * payment of it can succeed any more, so concert-service may put the seat back on sale.
     */
    public record PaymentWindowClosed(Long reservationId, String userId, Long concertId, Long scheduleId, Long seatId,
                                      Integer seatNumber, Instant expiresAt, Instant closedAt) implements PaymentEvent {
    }
}
