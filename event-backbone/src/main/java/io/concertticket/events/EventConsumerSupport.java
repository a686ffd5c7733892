package io.concertticket.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.function.Consumer;

/**
 * The common part of every {@code @Incoming} handler: parse the envelope (a poison message is
 * rethrown at once so the channel's dead-letter strategy takes it, with the reason), and retry
 * transient failures with back-off so a short database outage does not dead-letter good events.
 *
 * <p>Channel configuration a consuming service needs (here for payment-service's
 * {@code reservation-events} channel; see docs/contracts.md):
 * <pre>
 * mp.messaging.incoming.reservation-events.connector=smallrye-kafka
 * mp.messaging.incoming.reservation-events.topic=concert.reservation-events
 * mp.messaging.incoming.reservation-events.group.id=payment-service
 * mp.messaging.incoming.reservation-events.value.deserializer=org.apache.kafka.common.serialization.StringDeserializer
 * mp.messaging.incoming.reservation-events.auto.offset.reset=earliest
 * mp.messaging.incoming.reservation-events.failure-strategy=dead-letter-queue
 * mp.messaging.incoming.reservation-events.dead-letter-queue.topic=payment-service.dead-letter
 * # set by this library for every Kafka channel (META-INF/microprofile-config.properties); a service
 * # without event-backbone (the gateway) must set it itself:
 * mp.messaging.incoming.reservation-events.cloud-events=false
 * </pre>
 * With {@code @Incoming @Blocking} (ordered by default) messages are applied one at a time in
 * partition order; a poison message is written to the dead-letter topic (same key and value,
 * header {@code dead-letter-reason} = the exception's message, plus {@code dead-letter-topic},
 * {@code -partition}, {@code -offset}, {@code -exception-class-name}) and the next message follows at once.
 * Without {@code cloud-events=false} the connector itself would parse the relay's records
 * (header {@code content-type: application/cloudevents+json}) and pass a JsonObject, not the String.
 */
@ApplicationScoped
public class EventConsumerSupport {

    private static final Logger LOG = Logger.getLogger(EventConsumerSupport.class);

    private final ObjectMapper mapper;
    private final EventBackboneConfig config;

    EventConsumerSupport(ObjectMapper mapper, EventBackboneConfig config) {
        this.mapper = mapper;
        this.config = config;
    }

    public EventEnvelope parse(String message) {
        return EventEnvelope.parse(mapper, message);
    }

    public <T> T data(EventEnvelope envelope, Class<T> type) {
        return envelope.dataAs(mapper, type);
    }

    /** A new, empty router by event type; see {@link EventHandlers}. */
    public EventHandlers handlers() {
        return new EventHandlers(mapper);
    }

    /**
     * Parses {@code message} and hands it to {@code handler}, retrying transient failures.
     * A {@link PoisonEventException} (also as the cause of another exception) is rethrown at once.
     */
    public void handle(String message, Consumer<EventEnvelope> handler) {
        EventEnvelope envelope = parse(message);
        long backoff = 100;
        for (int attempt = 1; ; attempt++) {
            try {
                handler.accept(envelope);
                return;
            } catch (RuntimeException e) {
                PoisonEventException poison = poisonIn(e);
                if (poison != null) {
                    LOG.warnf("dead-lettering %s %s: %s", envelope.type(), envelope.id(), poison.getMessage());
                    throw poison;
                }
                if (attempt >= config.consumer().maxAttempts()) {
                    LOG.errorf("applying %s %s failed %d times; dead-lettering it: %s", envelope.type(), envelope.id(), attempt, e.toString());
                    throw e;
                }
                LOG.warnf("applying %s %s failed (attempt %d): %s; retrying", envelope.type(), envelope.id(), attempt, e.toString());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff = Math.min(backoff * 2, config.consumer().maxBackoff().toMillis());
            }
        }
    }

    private static PoisonEventException poisonIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PoisonEventException p) {
                return p;
            }
        }
        return null;
    }
}
