package io.concertticket.events.testapp;

import io.concertticket.events.EventChannel;
import io.concertticket.events.EventConsumerSupport;
import io.concertticket.events.EventHandlers;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.Set;
import java.util.concurrent.CompletionStage;

/** The channel handler, written the way docs/contracts.md tells the services to. */
@ApplicationScoped
public class CounterEventsConsumer implements EventChannel {

    /** A type this consumer knows of and has no use for. */
    public static final String SKIPPED_TYPE = "CounterInspected";

    /** Plays "a fix was deployed": from now on CounterBumped version 2 is understood too (dead-letter replay test). */
    private static volatile boolean version2Deployed;

    private final EventConsumerSupport support;
    private final EventHandlers handlers;
    private final EventHandlers fixedHandlers;

    CounterEventsConsumer(EventConsumerSupport support, ApplyCounterBumped apply) {
        this.support = support;
        this.handlers = support.handlers()
                .on(BumpCounter.TYPE, 1, CounterBumped.class, apply::apply)
                .skip(SKIPPED_TYPE);
        this.fixedHandlers = support.handlers()
                .on(BumpCounter.TYPE, Set.of(1, 2), CounterBumped.class, apply::apply)
                .skip(SKIPPED_TYPE);
    }

    public static void deployVersion2(boolean deployed) {
        version2Deployed = deployed;
    }

    @Override
    public String channel() {
        return "counter-events";
    }

    @Override
    @Incoming("counter-events")
    @Blocking
    public CompletionStage<Void> on(Message<String> message) {
        return support.handle(message, version2Deployed ? fixedHandlers : handlers);
    }
}
