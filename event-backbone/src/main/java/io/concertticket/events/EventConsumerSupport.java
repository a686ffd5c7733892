package io.concertticket.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.function.Consumer;

/**
 * The common part of every {@code @Incoming} handler: parse the envelope (a poison message is
 * rethrown at once so the channel's dead-letter strategy takes it, with the reason), and retry
 * transient failures with back-off so a short database outage does not dead-letter good events.
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

    /** Parses {@code message} and hands it to {@code handler}, retrying transient failures. */
    public void handle(String message, Consumer<EventEnvelope> handler) {
        EventEnvelope envelope = parse(message);
        long backoff = 100;
        for (int attempt = 1; ; attempt++) {
            try {
                handler.accept(envelope);
                return;
            } catch (PoisonEventException e) {
                throw e;
            } catch (RuntimeException e) {
                if (attempt >= config.consumer().maxAttempts()) {
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
}
