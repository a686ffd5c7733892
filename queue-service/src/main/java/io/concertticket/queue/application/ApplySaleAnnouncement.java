package io.concertticket.queue.application;

import io.concertticket.events.contract.CatalogueEvents.SaleAnnounced;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * concert.catalogue-events → the {@code sale} table. Each SaleAnnounced carries the whole sale, and its
 * revision decides: one of the same or a lower revision than the stored one (a duplicate, or an older one
 * delivered late) changes nothing, so any delivery order ends in the newest announcement, and a replay from
 * the beginning rebuilds the table. The adapter ({@code api.CatalogueEventsConsumer}) checks the event and
 * applies it once per event id (inbox).
 */
@ApplicationScoped
public class ApplySaleAnnouncement {

    private final Sales sales;

    ApplySaleAnnouncement(Sales sales) {
        this.sales = sales;
    }

    @Transactional
    public void apply(SaleAnnounced a) {
        sales.applyAnnouncement(a.concertId(), a.title(), a.opensAt(), a.closesAt(), a.preQueueEnabled(), a.preQueueLeadSeconds(),
                a.revision());
    }
}
