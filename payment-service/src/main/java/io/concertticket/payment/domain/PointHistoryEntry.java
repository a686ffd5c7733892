package io.concertticket.payment.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * One movement of a wallet's balance; written in the transaction that moved it. Never updated.
 * (CHARGE rows are written by the same SQL statement as the charge itself, see WalletRepository.)
 */
@Entity
@Table(name = "point_history")
public class PointHistoryEntry {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "user_id", nullable = false)
    private String userId;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private PointChangeType type;
    @Column(nullable = false)
    private long amount;
    @Column(name = "balance_after", nullable = false)
    private long balanceAfter;
    @Column(name = "reservation_id")
    private Long reservationId;
    @Column(name = "payment_id")
    private UUID paymentId;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected PointHistoryEntry() {
    }

    private PointHistoryEntry(String userId, PointChangeType type, long amount, long balanceAfter, Long reservationId,
                              UUID paymentId, Instant now) {
        if (amount < 0 || balanceAfter < 0) {
            throw new IllegalArgumentException("amount and balance must not be negative");
        }
        this.userId = userId;
        this.type = type;
        this.amount = amount;
        this.balanceAfter = balanceAfter;
        this.reservationId = reservationId;
        this.paymentId = paymentId;
        this.createdAt = now;
    }

    public static PointHistoryEntry use(Payment payment, Instant now) {
        return new PointHistoryEntry(payment.userId(), PointChangeType.USE, payment.amount(), payment.balanceAfter(),
                payment.reservationId(), payment.id(), now);
    }

    public static PointHistoryEntry refund(Payment payment, long balanceAfter, Instant now) {
        return new PointHistoryEntry(payment.userId(), PointChangeType.REFUND, payment.amount(), balanceAfter,
                payment.reservationId(), payment.id(), now);
    }

    /** The signed effect on the balance. */
    public long delta() {
        return type == PointChangeType.USE ? -amount : amount;
    }

    public Long id() {
        return id;
    }

    public String userId() {
        return userId;
    }

    public PointChangeType type() {
        return type;
    }

    public long amount() {
        return amount;
    }

    public long balanceAfter() {
        return balanceAfter;
    }

    public Long reservationId() {
        return reservationId;
    }

    public UUID paymentId() {
        return paymentId;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
