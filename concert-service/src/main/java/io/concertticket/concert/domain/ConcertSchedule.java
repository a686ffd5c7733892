package io.concertticket.concert.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Objects;

/** One performance of a concert: when it takes place and from when its seats can be reserved. */
@Entity
@Table(name = "concert_schedule")
public class ConcertSchedule {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "concert_id", nullable = false)
    private Long concertId;

    @Column(name = "performance_at", nullable = false)
    private Instant performanceAt;

    @Column(name = "reservable_from", nullable = false)
    private Instant reservableFrom;

    @Column(name = "max_seat_count", nullable = false)
    private int maxSeatCount;

    @Column(name = "min_price")
    private Long minPrice;

    @Column(name = "max_price")
    private Long maxPrice;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected ConcertSchedule() {
    }

    public ConcertSchedule(long concertId, Instant performanceAt, Instant reservableFrom, Instant now) {
        Objects.requireNonNull(performanceAt, "performanceAt");
        Objects.requireNonNull(reservableFrom, "reservableFrom");
        if (!reservableFrom.isBefore(performanceAt)) {
            throw new InvalidScheduleException("reservableFrom must be before performanceAt");
        }
        this.concertId = concertId;
        this.performanceAt = performanceAt;
        this.reservableFrom = reservableFrom;
        this.createdAt = now;
    }

    /**
     * A schedule can be reserved once its reservable-from date has come, until the performance starts.
     *
     * @throws ScheduleNotReservableException saying when it opens, or that the performance is past
     */
    public void requireReservableAt(Instant now) {
        if (now.isBefore(reservableFrom)) {
            throw ScheduleNotReservableException.notYetOpen(id, reservableFrom);
        }
        if (!now.isBefore(performanceAt)) {
            throw ScheduleNotReservableException.past(id, performanceAt);
        }
    }

    public boolean hasSeatMap() {
        return maxSeatCount > 0;
    }

    /** The seat map is created once; its size and price range are fixed with it. */
    public void seatMapCreated(int seatCount, long minPrice, long maxPrice) {
        if (hasSeatMap()) {
            throw new SeatMapAlreadyExistsException(id);
        }
        this.maxSeatCount = seatCount;
        this.minPrice = minPrice;
        this.maxPrice = maxPrice;
    }

    public Long getId() {
        return id;
    }

    public Long getConcertId() {
        return concertId;
    }

    public Instant getPerformanceAt() {
        return performanceAt;
    }

    public Instant getReservableFrom() {
        return reservableFrom;
    }

    public int getMaxSeatCount() {
        return maxSeatCount;
    }

    public Long getMinPrice() {
        return minPrice;
    }

    public Long getMaxPrice() {
        return maxPrice;
    }
}
