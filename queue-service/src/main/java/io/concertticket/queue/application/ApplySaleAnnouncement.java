package io.concertticket.queue.application;

import io.concertticket.events.EventConsumerSupport;
import io.concertticket.events.EventEnvelope;
import io.concertticket.events.EventInbox;
import io.concertticket.events.PoisonEventException;
import io.concertticket.queue.infrastructure.SaleRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * concert.catalogue-events → the {@code sale} table. Each SaleAnnounced carries the whole sale, and its
 * revision decides: one of the same or a lower revision than the stored one (a duplicate, or an older one
 * delivered late) changes nothing, so any delivery order ends in the newest announcement, and a replay from
 * the beginning rebuilds the table. The inbox also skips a redelivered event id.
 */
@ApplicationScoped
public class ApplySaleAnnouncement {

    static final String SALE_ANNOUNCED = "SaleAnnounced";

    private final EventInbox inbox;
    private final EventConsumerSupport support;
    private final SaleRepository sales;

    ApplySaleAnnouncement(EventInbox inbox, EventConsumerSupport support, SaleRepository sales) {
        this.inbox = inbox;
        this.support = support;
        this.sales = sales;
    }

    @Transactional
    public void apply(EventEnvelope event) {
        if (!SALE_ANNOUNCED.equals(event.type())) {
            throw new PoisonEventException("queue-service does not know event type " + event.type());
        }
        if (event.dataVersion() != 1) {
            throw new PoisonEventException("SaleAnnounced data version " + event.dataVersion() + " is not supported");
        }
        SaleAnnounced a = support.data(event, SaleAnnounced.class);
        if (a.concertId() == null || a.opensAt() == null || a.revision() == null || a.preQueueEnabled() == null
                || a.preQueueLeadSeconds() == null) {
            throw new PoisonEventException("SaleAnnounced without concertId, opensAt, preQueueEnabled, preQueueLeadSeconds or revision");
        }
        if (!inbox.firstDelivery(ExpireTokenOnPayment.CONSUMER, event.id())) {
            return;
        }
        sales.applyAnnouncement(a.concertId(), a.title(), a.opensAt(), a.closesAt(), a.preQueueEnabled(), a.preQueueLeadSeconds(),
                a.revision());
    }
}
