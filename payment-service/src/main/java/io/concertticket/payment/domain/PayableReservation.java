package io.concertticket.payment.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A concert reservation as payment-service sees it: announced by {@code SeatHeld} (BOOKED, with the
 * price and the deadline), then PAID by a payment or CANCELED by {@code ReservationExpired}.
 */
@Entity
@Table(name = "payable_reservation")
public class PayableReservation {

    /** What a payment request should do with this reservation. */
    public enum PaymentDecision { PAY, ALREADY_PAID }

    /** What {@code ReservationExpired} did to this reservation. */
    public enum ExpiryOutcome { CANCELED_UNPAID, CANCELED_REFUND_DUE, ALREADY_CANCELED }

    @Id
    @Column(name = "reservation_id")
    private Long reservationId;
    @Column(name = "user_id", nullable = false)
    private String userId;
    @Column(name = "concert_id")
    private Long concertId;
    @Column(name = "schedule_id")
    private Long scheduleId;
    @Column(name = "seat_id")
    private Long seatId;
    @Column(name = "seat_number")
    private Integer seatNumber;
    @Column(nullable = false)
    private long price;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private PayableStatus status;
    @Column(name = "held_at")
    private Instant heldAt;
    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected PayableReservation() {
    }

    private PayableReservation(long reservationId, String userId, Long concertId, Long scheduleId, Long seatId,
                               Integer seatNumber, long price, PayableStatus status, Instant heldAt, Instant expiresAt,
                               Instant now) {
        this.reservationId = reservationId;
        this.userId = Objects.requireNonNull(userId, "userId");
        this.concertId = concertId;
        this.scheduleId = scheduleId;
        this.seatId = seatId;
        this.seatNumber = seatNumber;
        this.price = price;
        this.status = status;
        this.heldAt = heldAt;
        this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
        this.createdAt = now;
        this.updatedAt = now;
    }

    /** A held seat waiting for its payment; its concert says which admission may pay it. */
    public static PayableReservation held(long reservationId, String userId, long concertId, Long scheduleId, Long seatId,
                                          Integer seatNumber, long price, Instant heldAt, Instant expiresAt, Instant now) {
        if (price < 0) {
            throw new IllegalArgumentException("price must not be negative");
        }
        return new PayableReservation(reservationId, userId, concertId, scheduleId, seatId, seatNumber, price,
                PayableStatus.BOOKED, heldAt, expiresAt, now);
    }

    /**
     * A reservation that expired before its {@code SeatHeld} was ever applied (e.g. it was dead-lettered):
     * remembered as CANCELED so that a late {@code SeatHeld} cannot make it payable.
     */
    public static PayableReservation expiredUnseen(long reservationId, String userId, Long concertId, Long scheduleId,
                                                   Long seatId, Integer seatNumber, Instant expiredAt, Instant now) {
        return new PayableReservation(reservationId, userId, concertId, scheduleId, seatId, seatNumber, 0,
                PayableStatus.CANCELED, null, expiredAt, now);
    }

    /**
     * Whether {@code payer} may pay now. A payment must finish a safety margin before the deadline, so
     * that it is not committed after concert-service already released the seat.
     */
    public PaymentDecision decidePayment(String payer, Instant now, Duration safetyMargin) {
        if (!userId.equals(payer)) {
            throw new ReservationNotFoundException(reservationId);
        }
        switch (status) {
            case PAID:
                return PaymentDecision.ALREADY_PAID;
            case CANCELED:
                throw new ReservationCanceledException(reservationId);
            default:
                break;
        }
        if (!now.plus(safetyMargin).isBefore(expiresAt)) {
            throw new PaymentDeadlinePassedException(reservationId, expiresAt);
        }
        return PaymentDecision.PAY;
    }

    public void markPaid(Instant now) {
        if (status != PayableStatus.BOOKED) {
            throw new IllegalStateException("reservation " + reservationId + " is " + status + ", not BOOKED");
        }
        status = PayableStatus.PAID;
        updatedAt = now;
    }

    /** The deadline passed at concert-service: cancel; a payment that slipped in must be refunded. */
    public ExpiryOutcome expire(Instant now) {
        PayableStatus before = status;
        if (before == PayableStatus.CANCELED) {
            return ExpiryOutcome.ALREADY_CANCELED;
        }
        status = PayableStatus.CANCELED;
        updatedAt = now;
        return before == PayableStatus.PAID ? ExpiryOutcome.CANCELED_REFUND_DUE : ExpiryOutcome.CANCELED_UNPAID;
    }

    public long reservationId() {
        return reservationId;
    }

    public String userId() {
        return userId;
    }

    public Long concertId() {
        return concertId;
    }

    public long price() {
        return price;
    }

    public PayableStatus status() {
        return status;
    }

    public Instant expiresAt() {
        return expiresAt;
    }
}
