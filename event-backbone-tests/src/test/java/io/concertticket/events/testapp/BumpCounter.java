package io.concertticket.events.testapp;

import io.concertticket.events.Event;
import io.concertticket.events.EventEnvelope;
import io.concertticket.events.OutboxPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.List;

/**
 * The producing use case: a state change and its event in one transaction. The upsert takes the
 * key's row lock before the event is written, as a service's aggregate update would.
 */
@ApplicationScoped
public class BumpCounter {

    public static final String TYPE = Event.typeOf(CounterBumped.class);

    private final EntityManager em;
    private final OutboxPublisher outbox;

    BumpCounter(EntityManager em, OutboxPublisher outbox) {
        this.em = em;
        this.outbox = outbox;
    }

    @Transactional
    public EventEnvelope bump(String topic, String key, long amount) {
        int n = ((Number) em.createNativeQuery(
                        "INSERT INTO source_state (state_key, bumps) VALUES (?1, 1) "
                                + "ON CONFLICT (state_key) DO UPDATE SET bumps = source_state.bumps + 1 RETURNING bumps")
                .setParameter(1, key)
                .getSingleResult()).intValue();
        return outbox.publish(new CounterBumped(key, n, amount, topic));
    }

    /** A CounterBumped for each of {@code keys}, recorded with one {@link OutboxPublisher#publishAll}, in that order. */
    @Transactional
    public List<EventEnvelope> publishAll(String topic, List<String> keys) {
        List<CounterBumped> events = new ArrayList<>(keys.size());
        for (String key : keys) {
            events.add(new CounterBumped(key, 1, 1, topic));
        }
        return outbox.publishAll(events);
    }

    /** The same, but the transaction then fails: neither the state change nor the event may survive. */
    @Transactional
    public void bumpAndFail(String topic, String key) {
        bump(topic, key, 1);
        throw new IllegalStateException("the use case fails after publishing");
    }
}
