package io.concertticket.concert.application;

import java.time.Instant;
import java.util.UUID;

/** The payloads (data, version 1) of the events this service publishes and consumes; see docs/contracts.md. */
public final class ReservationEvents {

    public static final String SEAT_HELD = "SeatHeld";
    public static final String RESERVATION_EXPIRED = "ReservationExpired";
    public static final String PAYMENT_COMPLETED = "PaymentCompleted";
    public static final String PAYMENT_REFUNDED = "PaymentRefunded";
    public static final String PAYMENT_WINDOW_CLOSED = "PaymentWindowClosed";
    public static final int VERSION = 1;

    private ReservationEvents() {
    }

    public record SeatHeld(long reservationId, String userId, long concertId, long scheduleId, long seatId,
                           int seatNumber, long price, Instant heldAt, Instant expiresAt) {
    }

    public record ReservationExpired(long reservationId, String userId, long concertId, long scheduleId, long seatId,
                                     int seatNumber, Instant expiredAt) {
    }

    public record PaymentCompleted(UUID paymentId, Long reservationId, String userId, Long concertId, Long amount,
                                   Instant paidAt) {
    }

    /** payment-service's decision that the reservation went unpaid past its deadline: the seat may go back on sale. */
    public record PaymentWindowClosed(Long reservationId, String userId, Instant expiresAt, Instant closedAt) {
    }

    public static String subject(long reservationId) {
        return "reservation/" + reservationId;
    }
}
