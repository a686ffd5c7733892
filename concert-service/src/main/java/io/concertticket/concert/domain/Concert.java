package io.concertticket.concert.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Duration;
import java.time.Instant;

@Entity
@Table(name = "concert")
public class Concert {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private String title;

    @Column(nullable = false)
    private String venue;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "sale_opens_at", nullable = false)
    private Instant saleOpensAt;

    @Column(name = "sale_closes_at")
    private Instant saleClosesAt;

    @Column(name = "pre_queue_enabled", nullable = false)
    private boolean preQueueEnabled;

    @Column(name = "pre_queue_lead_seconds", nullable = false)
    private long preQueueLeadSeconds;

    /** Bumped on every change of the sale window; announced with it so consumers keep the newest. */
    @Column(name = "sale_revision", nullable = false)
    private long saleRevision;

    protected Concert() {
    }

    public Concert(String title, String venue, SaleWindow sale, Instant now) {
        if (title == null || title.isBlank() || venue == null || venue.isBlank()) {
            throw new IllegalArgumentException("a concert needs a title and a venue");
        }
        this.title = title.strip();
        this.venue = venue.strip();
        this.createdAt = now;
        reschedule(sale);
    }

    /** A new sale window (the caller re-announces it). */
    public void reschedule(SaleWindow sale) {
        this.saleOpensAt = sale.opensAt();
        this.saleClosesAt = sale.closesAt();
        this.preQueueEnabled = sale.preQueueEnabled();
        this.preQueueLeadSeconds = sale.preQueueLead().toSeconds();
        this.saleRevision++;
    }

    /** A concert created before sale windows existed gets its first revision when it is first announced. */
    public void markAnnounced() {
        if (saleRevision == 0) {
            saleRevision = 1;
        }
    }

    public SaleWindow sale() {
        return new SaleWindow(saleOpensAt, saleClosesAt, preQueueEnabled, Duration.ofSeconds(preQueueLeadSeconds));
    }

    public long saleRevision() {
        return saleRevision;
    }

    public Long getId() {
        return id;
    }

    public String getTitle() {
        return title;
    }

    public String getVenue() {
        return venue;
    }
}
