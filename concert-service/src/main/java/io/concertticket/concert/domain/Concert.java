package io.concertticket.concert.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

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

    protected Concert() {
    }

    public Concert(String title, String venue, Instant now) {
        if (title == null || title.isBlank() || venue == null || venue.isBlank()) {
            throw new IllegalArgumentException("a concert needs a title and a venue");
        }
        this.title = title.strip();
        this.venue = venue.strip();
        this.createdAt = now;
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
