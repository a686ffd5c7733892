package io.concertticket.events;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Routes envelopes by {@code type} to typed handlers, and turns everything a consumer cannot apply
 * into a {@link PoisonEventException} (so the channel dead-letters it with the reason):
 * an unknown type, an unsupported {@code dataversion}, a payload that does not map onto its record.
 * Types listed with {@link #skip} are known but of no use to this consumer and are ignored.
 *
 * <pre>{@code
 * private final EventHandlers handlers = support.handlers()
 *         .on("SeatHeld", 1, SeatHeldData.class, recordPayable::apply)     // apply(EventEnvelope, SeatHeldData)
 *         .on("ReservationExpired", 1, ReservationExpiredData.class, cancelPayable::apply);
 *
 * @Incoming("reservation-events") @Blocking
 * public CompletionStage<Void> on(Message<String> message) { return support.handle(message, handlers); }
 * }</pre>
 */
public final class EventHandlers implements Consumer<EventEnvelope> {

    private record Route<T>(Set<Integer> versions, Class<T> dataType, BiConsumer<EventEnvelope, T> handler) {
    }

    private final ObjectMapper mapper;
    private final Map<String, Route<?>> routes = new LinkedHashMap<>();
    private final Set<String> skipped = new TreeSet<>();

    EventHandlers(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Handles {@code type} in the given payload versions, with the payload mapped onto {@code dataType}. */
    public <T> EventHandlers on(String type, int version, Class<T> dataType, BiConsumer<EventEnvelope, T> handler) {
        return on(type, Set.of(version), dataType, handler);
    }

    public <T> EventHandlers on(String type, Set<Integer> versions, Class<T> dataType, BiConsumer<EventEnvelope, T> handler) {
        routes.put(type, new Route<>(Set.copyOf(versions), dataType, handler));
        return this;
    }

    /** Known types this consumer has no use for: acknowledged and ignored, never dead-lettered. */
    public EventHandlers skip(String... types) {
        skipped.addAll(Set.of(types));
        return this;
    }

    @Override
    public void accept(EventEnvelope envelope) {
        Route<?> route = routes.get(envelope.type());
        if (route == null) {
            if (skipped.contains(envelope.type())) {
                return;
            }
            throw new PoisonEventException("unknown event type '" + envelope.type() + "' (this consumer knows "
                    + new TreeSet<>(routes.keySet()) + (skipped.isEmpty() ? "" : " and skips " + skipped) + ")");
        }
        dispatch(route, envelope);
    }

    private <T> void dispatch(Route<T> route, EventEnvelope envelope) {
        envelope.requireDataVersion(route.versions());
        T data = envelope.dataAs(mapper, route.dataType());
        route.handler().accept(envelope, data);
    }
}
