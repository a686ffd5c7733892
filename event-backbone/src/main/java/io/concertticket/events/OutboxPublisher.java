package io.concertticket.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import java.util.HashMap;
import java.util.Map;

/**
 * Records an event in the outbox table inside the caller's transaction: the event exists if and
 * only if the state change it announces was committed. After commit the relay is woken at once.
 *
 * <p>Call it after the state change (the entity's row is locked or updated first): the pending
 * entity changes are flushed before the row is written, so two transactions that change the same
 * aggregate get their outbox sequence numbers in the order they hold its row lock, which is the
 * order they commit in, and the relay publishes them in that order.
 */
@ApplicationScoped
public class OutboxPublisher {

    /** Marks a transaction whose commit already wakes the relay (one wake-up per transaction). */
    private static final Object WAKE_REGISTERED = new Object();

    private final EntityManager em;
    private final ObjectMapper mapper;
    private final EventBackboneConfig config;
    private final TransactionSynchronizationRegistry txRegistry;
    private final OutboxRelay relay;

    OutboxPublisher(EntityManager em, ObjectMapper mapper, EventBackboneConfig config,
                    TransactionSynchronizationRegistry txRegistry, OutboxRelay relay) {
        this.em = em;
        this.mapper = mapper;
        this.config = config;
        this.txRegistry = txRegistry;
        this.relay = relay;
    }

    /**
     * Records {@code event} with the topic, key, subject, type and data version it defines (see {@link Event});
     * its record components are the {@code data}, serialised with the application's ObjectMapper.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public EventEnvelope publish(Event event) {
        // Take the aggregate's row locks (pending UPDATEs) before this row gets its sequence number.
        em.flush();
        JsonNode payload = mapper.valueToTree(event);
        String traceparent = currentTraceparent();
        EventEnvelope envelope = EventEnvelope.of(config.source(), event.type(), event.subject(), event.dataVersion(), traceparent,
                payload);
        String json;
        try {
            json = mapper.writeValueAsString(envelope);
        } catch (Exception e) {
            throw new IllegalStateException("cannot serialise " + event.type(), e);
        }
        em.createNativeQuery("INSERT INTO outbox_event (event_id, topic, message_key, event_type, payload, traceparent) "
                        + "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                .setParameter(1, envelope.id())
                .setParameter(2, event.topic())
                .setParameter(3, event.key())
                .setParameter(4, event.type())
                .setParameter(5, json)
                .setParameter(6, traceparent)
                .executeUpdate();
        if (txRegistry.getResource(WAKE_REGISTERED) == null) {
            txRegistry.putResource(WAKE_REGISTERED, Boolean.TRUE);
            txRegistry.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        relay.wake();
                    }
                }
            });
        }
        return envelope;
    }

    /** The W3C traceparent of the span this transaction runs in (the HTTP request's, a consumer's), or null. */
    static String currentTraceparent() {
        Map<String, String> carrier = new HashMap<>(2);
        W3CTraceContextPropagator.getInstance().inject(Context.current(), carrier, Map::put);
        return carrier.get("traceparent");
    }
}
