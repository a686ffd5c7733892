package io.concertticket.payment.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** Points taken for one reservation; refunded if the reservation expired anyway. */
@Entity
@Table(name = "payment")
public class Payment {

    @Id
    private UUID id;
    @Column(name = "reservation_id", nullable = false, unique = true)
    private long reservationId;
    @Column(name = "user_id", nullable = false)
    private String userId;
    @Column(name = "concert_id")
    private Long concertId;
    @Column(nullable = false)
    private long amount;
    /** The wallet balance right after this payment, for replaying the original answer. */
    @Column(name = "balance_after", nullable = false)
    private long balanceAfter;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private PaymentStatus status;
    @Column(name = "paid_at", nullable = false)
    private Instant paidAt;
    @Column(name = "refunded_at")
    private Instant refundedAt;
    /** The admission (queue token id) the payment was made with: the one token it uses up. */
    @Column(name = "admission_token_id")
    private UUID admissionTokenId;

    protected Payment() {
    }

    public static Payment completed(PayableReservation reservation, UUID admissionTokenId, long balanceAfter, Instant now) {
        Payment p = new Payment();
        p.id = UUID.randomUUID();
        p.reservationId = reservation.reservationId();
        p.userId = reservation.userId();
        p.concertId = reservation.concertId();
        p.amount = reservation.price();
        p.balanceAfter = balanceAfter;
        p.status = PaymentStatus.COMPLETED;
        p.paidAt = now;
        p.admissionTokenId = Objects.requireNonNull(admissionTokenId, "admissionTokenId");
        return p;
    }

    public void refund(Instant now) {
        if (status != PaymentStatus.COMPLETED) {
            throw new IllegalStateException("payment " + id + " is already " + status);
        }
        status = PaymentStatus.REFUNDED;
        refundedAt = now;
    }

    public UUID id() {
        return id;
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

    public long amount() {
        return amount;
    }

    public long balanceAfter() {
        return balanceAfter;
    }

    public PaymentStatus status() {
        return status;
    }

    public Instant paidAt() {
        return paidAt;
    }

    public UUID admissionTokenId() {
        return admissionTokenId;
    }
}
