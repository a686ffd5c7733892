package io.concertticket.concert.application;

import io.concertticket.concert.domain.Concert;
import io.concertticket.concert.domain.SaleWindow;
import io.concertticket.events.OutboxPublisher;
import io.concertticket.events.contract.CatalogueEvents.SaleAnnounced;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/**
 * Announces a concert's sale (SaleAnnounced on {@code concert.catalogue-events}, key concertId) through the
 * outbox, in the caller's transaction. Each event carries the whole sale, so the latest one per key is all a
 * consumer needs (a replay from the beginning rebuilds it), and {@code revision} lets it ignore an older one.
 */
@ApplicationScoped
public class AnnounceSale {

    private final OutboxPublisher outbox;

    AnnounceSale(OutboxPublisher outbox) {
        this.outbox = outbox;
    }

    public void announce(Concert concert, Instant now) {
        SaleWindow sale = concert.sale();
        outbox.publish(new SaleAnnounced(concert.getId(), concert.getTitle(), sale.opensAt(), sale.closesAt(),
                sale.preQueueEnabled(), sale.preQueueLead().toSeconds(), concert.saleRevision(), now));
    }
}
