package io.concertticket.events.testapp;

import io.concertticket.events.EventConsumerSupport;
import io.concertticket.events.EventHandlers;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/** The channel handler, written the way docs/contracts.md tells the services to. */
@ApplicationScoped
public class CounterEventsConsumer {

    /** A type this consumer knows of and has no use for. */
    public static final String SKIPPED_TYPE = "CounterInspected";

    private final EventConsumerSupport support;
    private final EventHandlers handlers;

    CounterEventsConsumer(EventConsumerSupport support, ApplyCounterBumped apply) {
        this.support = support;
        this.handlers = support.handlers()
                .on(BumpCounter.TYPE, 1, CounterBumped.class, apply::apply)
                .skip(SKIPPED_TYPE);
    }

    @Incoming("counter-events")
    @Blocking
    public CompletionStage<Void> on(Message<String> message) {
        return support.handle(message, handlers);
    }
}
