package io.concertticket.payment.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Objects;

/**
 * A concert reservation as payment-service sees it: announced by {@code SeatHeld} (BOOKED, with the
 * price and the deadline), then PAID by a payment or CANCELED when payment-service closes its payment
 * window at the deadline. payment-service is the one decider between the two (docs/architecture.md,
 * "Paid or expired: one decider"): both transitions happen here, under the row lock, and
 * concert-service only follows the decision, so a payment answered COMPLETED can never lose its seat.
 */
@Entity
@Table(name = "payable_reservation")
public class PayableReservation {

    /** What a payment request should do with this reservation. */
    public enum PaymentDecision { PAY, ALREADY_PAID }

    /** What {@code ReservationExpired} did to this reservation. */
    public enum ExpiryOutcome { CANCELED_UNPAID, CANCELED_REFUND_DUE, ALREADY_CANCELED }

    /** What closing the payment window at the deadline did: only CLOSED is a decision to announce. */
    public enum WindowOutcome { CLOSED, NOT_DUE, ALREADY_PAID, ALREADY_CLOSED }

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
     * Whether {@code payer} may pay at {@code now}, decided under the row lock: a BOOKED reservation is
     * payable strictly before its deadline. No safety margin: the deadline is decided here alone (the
     * window closes under the same lock), so a payment that gets the lock in time is final.
     */
    public PaymentDecision decidePayment(String payer, Instant now) {
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
        if (!now.isBefore(expiresAt)) {
            throw new PaymentDeadlinePassedException(reservationId, expiresAt);
        }
        return PaymentDecision.PAY;
    }

    /**
     * The deadline passed unpaid: the payment window closes for good (CANCELED) and no payment can get in
     * any more. A paid reservation stays paid; one not yet due stays open.
     */
    public WindowOutcome closeWindow(Instant now) {
        switch (status) {
            case PAID:
                return WindowOutcome.ALREADY_PAID;
            case CANCELED:
                return WindowOutcome.ALREADY_CLOSED;
            default:
                break;
        }
        if (now.isBefore(expiresAt)) {
            return WindowOutcome.NOT_DUE;
        }
        status = PayableStatus.CANCELED;
        updatedAt = now;
        return WindowOutcome.CLOSED;
    }

    public void markPaid(Instant now) {
        if (status != PayableStatus.BOOKED) {
            throw new IllegalStateException("reservation " + reservationId + " is " + status + ", not BOOKED");
        }
        status = PayableStatus.PAID;
        updatedAt = now;
    }

    /**
     * {@code ReservationExpired}: concert-service released the seat. Since payment-service decides, that
     * only follows a closed window (ALREADY_CANCELED); a PAID reservation here means a concert-service of
     * the previous version released the seat on its own clock (during a rolling upgrade), so the payment
     * must be refunded.
     */
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

    public Long scheduleId() {
        return scheduleId;
    }

    public Long seatId() {
        return seatId;
    }

    public Integer seatNumber() {
        return seatNumber;
    }
}
