package io.concertticket.events.testapp;

import io.concertticket.events.EventChannel;
import io.concertticket.events.EventConsumerSupport;
import io.concertticket.events.EventTopic;
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

    private final EventTopic topic;
    private final EventTopic fixedTopic;

    CounterEventsConsumer(EventConsumerSupport events, ApplyCounterBumped apply) {
        this.topic = events.topic("counter-events", ApplyCounterBumped.CONSUMER)
                .on(BumpCounter.TYPE, Set.of(1), CounterBumped.class, (event, data) -> { }, apply::apply, data -> { })
                .skip(SKIPPED_TYPE)
                .build();
        this.fixedTopic = events.topic("counter-events", ApplyCounterBumped.CONSUMER)
                .on(BumpCounter.TYPE, Set.of(1, 2), CounterBumped.class, (event, data) -> { }, apply::apply, data -> { })
                .skip(SKIPPED_TYPE)
                .build();
    }

    public static void deployVersion2(boolean deployed) {
        version2Deployed = deployed;
    }

    @Override
    public String channel() {
        return topic.channel();
    }

    @Override
    @Incoming("counter-events")
    @Blocking
    public CompletionStage<Void> on(Message<String> message) {
        return (version2Deployed ? fixedTopic : topic).handle(message);
    }
}
