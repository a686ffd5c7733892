package io.concertticket.events.testapp;

import io.concertticket.events.EventChannel;
import io.concertticket.events.EventConsumerSupport;
import io.concertticket.events.EventEnvelope;
import io.concertticket.events.PoisonEventException;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/** The channel handler, written the way docs/contracts.md tells the services to. */
@ApplicationScoped
public class CounterEventsConsumer implements EventChannel {

    /** A type this consumer knows of and has no use for. */
    public static final String SKIPPED_TYPE = "CounterInspected";

    /** Plays "a fix was deployed": from now on CounterBumped version 2 is understood too (dead-letter replay test). */
    private static volatile boolean version2Deployed;

    private final EventConsumerSupport support;
    private final ApplyCounterBumped apply;

    CounterEventsConsumer(EventConsumerSupport support, ApplyCounterBumped apply) {
        this.support = support;
        this.apply = apply;
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
        return support.handle(message, this::apply);
    }

    /** Unknown types, unsupported versions and payloads that do not fit are poison: dead-lettered with the reason. */
    private void apply(EventEnvelope event) {
        switch (event.type()) {
            case BumpCounter.TYPE -> {
                int supported = version2Deployed ? 2 : 1;
                if (event.dataVersion() < 1 || event.dataVersion() > supported) {
                    throw new PoisonEventException("unsupported dataversion " + event.dataVersion() + " of " + event.type()
                            + " (supported: " + (supported == 1 ? "[1]" : "[1, 2]") + ")");
                }
                apply.apply(event, support.data(event, CounterBumped.class));
            }
            case SKIPPED_TYPE -> {
            }
            default -> throw new PoisonEventException("unknown event type '" + event.type()
                    + "' (this consumer knows [CounterBumped] and skips [CounterInspected])");
        }
    }
}
