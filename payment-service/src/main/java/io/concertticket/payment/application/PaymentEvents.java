package io.concertticket.payment.application;

import java.time.Instant;
import java.util.UUID;

/** Payloads (dataversion 1) of the events payment-service publishes; see docs/contracts.md. */
public final class PaymentEvents {

    public static final String PAYMENT_COMPLETED = "PaymentCompleted";
    public static final String PAYMENT_REFUNDED = "PaymentRefunded";
    public static final String PAYMENT_WINDOW_CLOSED = "PaymentWindowClosed";
    public static final int VERSION = 1;

    private PaymentEvents() {
    }

    /** {@code admissionTokenId}: the queue token the payment was made with; queue-service expires exactly that one. */
    public record PaymentCompleted(UUID paymentId, long reservationId, String userId, Long concertId,
                                   UUID admissionTokenId, long amount, Instant paidAt) {
    }

    public record PaymentRefunded(UUID paymentId, long reservationId, String userId, Long concertId, long amount,
                                  Instant refundedAt) {
    }

    /**
     * The reservation's deadline passed unpaid and payment-service closed its payment window for good: no
     * payment of it can succeed any more, so concert-service may put the seat back on sale.
     */
    public record PaymentWindowClosed(long reservationId, String userId, Long concertId, Long scheduleId, Long seatId,
                                      Integer seatNumber, Instant expiresAt, Instant closedAt) {
    }

    static String subject(long reservationId) {
        return "reservation/" + reservationId;
    }
}
