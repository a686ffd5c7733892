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

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
        return publishAll(List.of(event)).get(0);
    }

    /**
     * Records {@code events} as {@link #publish} does, in one multi-row insert, in list order (their outbox
     * sequence numbers, and so the relay's publishing order, follow it): for a use case that changed many
     * aggregates with one statement.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<EventEnvelope> publishAll(List<? extends Event> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        // Take the aggregates' row locks (pending UPDATEs) before these rows get their sequence numbers.
        em.flush();
        String traceparent = currentTraceparent();
        int n = events.size();
        List<EventEnvelope> envelopes = new ArrayList<>(n);
        String[] ids = new String[n];
        String[] topics = new String[n];
        String[] keys = new String[n];
        String[] types = new String[n];
        String[] payloads = new String[n];
        for (int i = 0; i < n; i++) {
            Event event = events.get(i);
            JsonNode payload = mapper.valueToTree(event);
            EventEnvelope envelope = EventEnvelope.of(config.source(), event.type(), event.subject(), event.dataVersion(), traceparent,
                    payload);
            try {
                payloads[i] = mapper.writeValueAsString(envelope);
            } catch (Exception e) {
                throw new IllegalStateException("cannot serialise " + event.type(), e);
            }
            envelopes.add(envelope);
            ids[i] = envelope.id().toString();
            topics[i] = event.topic();
            keys[i] = event.key();
            types[i] = event.type();
        }
        // The rows take their sequence numbers in list order: seq is drawn in the SELECT list of a SELECT sorted by
        // the list position (WITH ORDINALITY), and PostgreSQL's SELECT reference ("SELECT List") says output
        // expressions not named in DISTINCT, ORDER BY or GROUP BY are evaluated after sorting. The column's default
        // instead (nextval in the INSERT, above the SELECT) would rely on an order no document promises.
        em.createNativeQuery("INSERT INTO outbox_event (seq, event_id, topic, message_key, event_type, payload, traceparent) "
                        + "SELECT nextval('outbox_event_seq_seq'), CAST(e.id AS uuid), e.topic, e.message_key, e.event_type, e.payload, CAST(?6 AS text) "
                        + "FROM unnest(CAST(?1 AS text[]), CAST(?2 AS text[]), CAST(?3 AS text[]), CAST(?4 AS text[]), CAST(?5 AS text[])) "
                        + "WITH ORDINALITY AS e(id, topic, message_key, event_type, payload, ord) ORDER BY e.ord")
                .setParameter(1, ids)
                .setParameter(2, topics)
                .setParameter(3, keys)
                .setParameter(4, types)
                .setParameter(5, payloads)
                .setParameter(6, traceparent)
                .executeUpdate();
        wakeRelayOnCommit();
        return envelopes;
    }

    private void wakeRelayOnCommit() {
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
    }

    /** The W3C traceparent of the span this transaction runs in (the HTTP request's, a consumer's), or null. */
    static String currentTraceparent() {
        Map<String, String> carrier = new HashMap<>(2);
        W3CTraceContextPropagator.getInstance().inject(Context.current(), carrier, Map::put);
        return carrier.get("traceparent");
    }
}
