package io.concertticket.queue.infrastructure;

import io.concertticket.events.EventChannel;
import io.concertticket.events.EventConsumerSupport;
import io.concertticket.queue.application.ApplySaleAnnouncement;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/** concert.catalogue-events → the sales; poison messages go to queue-service.dead-letter (see application.properties). */
@ApplicationScoped
public class CatalogueEventsConsumer implements EventChannel {

    private final EventConsumerSupport support;
    private final ApplySaleAnnouncement announcements;

    CatalogueEventsConsumer(EventConsumerSupport support, ApplySaleAnnouncement announcements) {
        this.support = support;
        this.announcements = announcements;
    }

    @Override
    public String channel() {
        return "catalogue-events";
    }

    @Override
    @Incoming("catalogue-events")
    @Blocking
    public CompletionStage<Void> on(Message<String> message) {
        return support.handle(message, announcements::apply);
    }
}
