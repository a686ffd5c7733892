package io.concertticket.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

/**
 * Records an event in the outbox table inside the caller's transaction: the event exists if and
 * only if the state change it announces was committed. After commit the relay is woken at once.
 */
@ApplicationScoped
public class OutboxPublisher {

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
     * @param topic   Kafka topic (from the service's configuration)
     * @param key     message key: all events with one key keep their order (a reservation id, a user id)
     * @param type    CloudEvents type, e.g. {@code SeatHeld}
     * @param subject what the event is about, e.g. {@code reservation/42}
     * @param data    the payload, serialised with the application's ObjectMapper
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public EventEnvelope publish(String topic, String key, String type, String subject, int dataVersion, Object data) {
        JsonNode payload = mapper.valueToTree(data);
        EventEnvelope envelope = EventEnvelope.of(config.source(), type, subject, dataVersion, payload);
        String json;
        try {
            json = mapper.writeValueAsString(envelope);
        } catch (Exception e) {
            throw new IllegalStateException("cannot serialise " + type, e);
        }
        em.createNativeQuery("INSERT INTO outbox_event (event_id, topic, message_key, event_type, payload) VALUES (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, envelope.id())
                .setParameter(2, topic)
                .setParameter(3, key)
                .setParameter(4, type)
                .setParameter(5, json)
                .executeUpdate();
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
        return envelope;
    }
}
