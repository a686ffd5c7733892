package io.concertticket.concert.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.util.Objects;

@Entity
@Table(name = "seat")
public class Seat {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "schedule_id", nullable = false)
    private Long scheduleId;

    @Column(name = "seat_number", nullable = false)
    private int seatNumber;

    @Column(nullable = false)
    private long price;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private SeatStatus status;

    @Column(name = "user_id")
    private String userId;

    @Column(name = "hold_expires_at")
    private Instant holdExpiresAt;

    @Version
    private long version;

    protected Seat() {
    }

    public Seat(long scheduleId, int seatNumber, long price) {
        if (seatNumber < 1) {
            throw new InvalidSeatMapException("seat numbers start at 1");
        }
        if (price < 0) {
            throw new InvalidSeatMapException("a price cannot be negative");
        }
        this.scheduleId = scheduleId;
        this.seatNumber = seatNumber;
        this.price = price;
        this.status = SeatStatus.AVAILABLE;
    }

    /** Keeps the seat for {@code userId} until {@code until}; only an AVAILABLE seat can be held. */
    public void hold(String userId, Instant until) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(until, "until");
        if (status != SeatStatus.AVAILABLE) {
            throw new SeatTakenException(scheduleId, seatNumber);
        }
        this.status = SeatStatus.HELD;
        this.userId = userId;
        this.holdExpiresAt = until;
    }

    /**
     * Puts the seat back on sale if it is still held by {@code userId} (the owner of the expiring
     * reservation). A sold seat, or one that is not this user's hold, is left as it is.
     *
     * @return whether the seat became AVAILABLE
     */
    public boolean releaseHoldOf(String userId) {
        if (status != SeatStatus.HELD || !Objects.equals(this.userId, userId)) {
            return false;
        }
        this.status = SeatStatus.AVAILABLE;
        this.userId = null;
        this.holdExpiresAt = null;
        return true;
    }

    /** The holder paid: the seat is sold for good and never held again. Idempotent for the same buyer. */
    public void sellTo(String userId) {
        if (status == SeatStatus.DONE && Objects.equals(this.userId, userId)) {
            return;
        }
        if (status != SeatStatus.HELD || !Objects.equals(this.userId, userId)) {
            throw new IllegalStateException("seat " + id + " is " + status + " for " + this.userId + ", cannot be sold to " + userId);
        }
        this.status = SeatStatus.DONE;
        this.holdExpiresAt = null;
    }

    public Long getId() {
        return id;
    }

    public Long getScheduleId() {
        return scheduleId;
    }

    public int getSeatNumber() {
        return seatNumber;
    }

    public long getPrice() {
        return price;
    }

    public SeatStatus getStatus() {
        return status;
    }

    public String getUserId() {
        return userId;
    }

    public Instant getHoldExpiresAt() {
        return holdExpiresAt;
    }
}
