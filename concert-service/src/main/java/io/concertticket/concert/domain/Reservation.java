package io.concertticket.concert.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A user's claim on one seat: BOOKED while the seat is held, then PAID or CANCELED as payment-service decides
 * (PaymentCompleted or PaymentWindowClosed). The deadline is only shown here: a BOOKED reservation past it is
 * "expiry pending" and keeps its seat until payment-service's decision arrives, so a paid seat is never freed.
 */
@Entity
@Table(name = "reservation")
public class Reservation {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "user_id", nullable = false)
    private String userId;

    @Column(name = "concert_id", nullable = false)
    private Long concertId;

    @Column(name = "schedule_id", nullable = false)
    private Long scheduleId;

    @Column(name = "seat_id", nullable = false)
    private Long seatId;

    @Column(name = "seat_number", nullable = false)
    private int seatNumber;

    @Column(nullable = false)
    private long price;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private ReservationStatus status;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "paid_at")
    private Instant paidAt;

    @Column(name = "canceled_at")
    private Instant canceledAt;

    protected Reservation() {
    }

    /** Books {@code seat} for {@code userId}: the seat becomes HELD until the returned reservation's deadline. */
    public static Reservation book(String userId, ConcertSchedule schedule, Seat seat, Instant now, Duration holdDuration) {
        if (!seat.getScheduleId().equals(schedule.getId())) {
            throw new IllegalArgumentException("seat " + seat.getId() + " is not in schedule " + schedule.getId());
        }
        Instant expiresAt = now.plus(holdDuration);
        seat.hold(userId, expiresAt);
        Reservation r = new Reservation();
        r.userId = userId;
        r.concertId = schedule.getConcertId();
        r.scheduleId = schedule.getId();
        r.seatId = seat.getId();
        r.seatNumber = seat.getSeatNumber();
        r.price = seat.getPrice();
        r.status = ReservationStatus.BOOKED;
        r.createdAt = now;
        r.expiresAt = expiresAt;
        return r;
    }

    public enum PaymentOutcome {
        /** BOOKED → PAID: the seat must now be sold. */
        APPLIED,
        /** Already PAID: a redelivery, nothing to do. */
        ALREADY_PAID,
        /** CANCELED: payment-service had closed the window, so this contradicts its own decision. */
        CONTRADICTS_CLOSED_WINDOW
    }

    public PaymentOutcome markPaid(Instant paidAt) {
        return switch (status) {
            case BOOKED -> {
                this.status = ReservationStatus.PAID;
                this.paidAt = paidAt;
                yield PaymentOutcome.APPLIED;
            }
            case PAID -> PaymentOutcome.ALREADY_PAID;
            case CANCELED -> PaymentOutcome.CONTRADICTS_CLOSED_WINDOW;
        };
    }

    public enum WindowClosedOutcome {
        /** BOOKED → CANCELED: the seat must now go back on sale. */
        CANCELED,
        /** Already CANCELED: a redelivery, nothing to do. */
        ALREADY_CANCELED,
        /** PAID: payment-service had taken a payment, so this contradicts its own decision; the sale stands. */
        CONTRADICTS_PAYMENT
    }

    /**
     * payment-service closed the payment window (PaymentWindowClosed): BOOKED → CANCELED, whatever this
     * service's clock says, because that decision is final and no payment can follow it. A PAID reservation
     * is never cancelled.
     */
    public WindowClosedOutcome paymentWindowClosed(Instant closedAt) {
        return switch (status) {
            case BOOKED -> {
                this.status = ReservationStatus.CANCELED;
                this.canceledAt = closedAt;
                yield WindowClosedOutcome.CANCELED;
            }
            case CANCELED -> WindowClosedOutcome.ALREADY_CANCELED;
            case PAID -> WindowClosedOutcome.CONTRADICTS_PAYMENT;
        };
    }

    /** BOOKED past its deadline: the buyer is told it expired, the seat stays held until payment-service decides. */
    public boolean isExpiryPending(Instant now) {
        return status == ReservationStatus.BOOKED && !now.isBefore(expiresAt);
    }

    public boolean isOwnedBy(String userId) {
        return Objects.equals(this.userId, userId);
    }

    public Long getId() {
        return id;
    }

    public String getUserId() {
        return userId;
    }

    public Long getConcertId() {
        return concertId;
    }

    public Long getScheduleId() {
        return scheduleId;
    }

    public Long getSeatId() {
        return seatId;
    }

    public int getSeatNumber() {
        return seatNumber;
    }

    public long getPrice() {
        return price;
    }

    public ReservationStatus getStatus() {
        return status;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getExpiresAt() {
        return expiresAt;
    }

    public Instant getPaidAt() {
        return paidAt;
    }

    public Instant getCanceledAt() {
        return canceledAt;
    }
}
