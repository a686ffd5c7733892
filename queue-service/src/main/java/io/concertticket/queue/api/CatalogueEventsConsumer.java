package io.concertticket.queue.api;

import io.concertticket.events.EventChannel;
import io.concertticket.events.EventConsumerSupport;
import io.concertticket.events.EventTopic;
import io.concertticket.events.PoisonEventException;
import io.concertticket.events.contract.CatalogueEvents.SaleAnnounced;
import io.concertticket.queue.application.ApplySaleAnnouncement;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/**
 * The inbound adapter of concert.catalogue-events: SaleAnnounced (version 1) checked and handed to
 * {@link ApplySaleAnnouncement} once per event id. Poison goes to queue-service.dead-letter.
 */
@ApplicationScoped
public class CatalogueEventsConsumer implements EventChannel {

    private final EventTopic sales;

    CatalogueEventsConsumer(EventConsumerSupport events, ApplySaleAnnouncement announcements) {
        this.sales = events.topic("catalogue-events", "queue-service")
                .on(SaleAnnounced.class, 1, (e, a) -> {
                    if (a.concertId() == null || a.opensAt() == null || a.revision() == null || a.preQueueEnabled() == null
                            || a.preQueueLeadSeconds() == null) {
                        throw new PoisonEventException(
                                "SaleAnnounced without concertId, opensAt, preQueueEnabled, preQueueLeadSeconds or revision");
                    }
                }, (e, a) -> announcements.apply(a))
                .build();
    }

    @Override
    public String channel() {
        return sales.channel();
    }

    @Override
    @Incoming("catalogue-events")
    @Blocking
    public CompletionStage<Void> on(Message<String> message) {
        return sales.handle(message);
    }
}
