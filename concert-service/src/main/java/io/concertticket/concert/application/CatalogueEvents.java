package io.concertticket.concert.application;

import io.concertticket.concert.domain.Concert;
import io.concertticket.concert.domain.SaleWindow;
import io.concertticket.concert.infrastructure.ConcertConfig;
import io.concertticket.events.OutboxPublisher;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/**
 * Announces a concert's sale on {@code concert.catalogue-events} (key concertId) through the outbox, in the
 * caller's transaction. Each event carries the whole sale, so the latest one per key is all a consumer
 * needs (a replay from the beginning rebuilds it), and {@code revision} lets it ignore an older one.
 */
@ApplicationScoped
public class CatalogueEvents {

    public static final String SALE_ANNOUNCED = "SaleAnnounced";
    public static final int VERSION = 1;

    /** data of SaleAnnounced, version 1 (docs/contracts.md). {@code closesAt} null: no closing time set. */
    public record SaleAnnounced(long concertId, String title, Instant opensAt, Instant closesAt, boolean preQueueEnabled,
                                long preQueueLeadSeconds, long revision, Instant announcedAt) {
    }

    private final OutboxPublisher outbox;
    private final ConcertConfig config;

    CatalogueEvents(OutboxPublisher outbox, ConcertConfig config) {
        this.outbox = outbox;
        this.config = config;
    }

    public void announce(Concert concert, Instant now) {
        SaleWindow sale = concert.sale();
        outbox.publish(config.topics().catalogueEvents(), concert.getId().toString(), SALE_ANNOUNCED, "concert/" + concert.getId(),
                VERSION, new SaleAnnounced(concert.getId(), concert.getTitle(), sale.opensAt(), sale.closesAt(), sale.preQueueEnabled(),
                        sale.preQueueLead().toSeconds(), concert.saleRevision(), now));
    }
}
