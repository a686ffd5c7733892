package io.concertticket.events.testapp;

import io.concertticket.events.EventEnvelope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** The consuming use case; the channel's {@code EventTopic} applies it once per event id (inbox). */
@ApplicationScoped
public class ApplyCounterBumped {

    public static final String CONSUMER = "event-backbone-test";

    private final EntityManager em;

    ApplyCounterBumped(EntityManager em) {
        this.em = em;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(EventEnvelope event, CounterBumped data) {
        em.createNativeQuery("INSERT INTO counter (counter_key, total) VALUES (?1, ?2) "
                        + "ON CONFLICT (counter_key) DO UPDATE SET total = counter.total + EXCLUDED.total")
                .setParameter(1, data.key())
                .setParameter(2, data.amount())
                .executeUpdate();
        em.createNativeQuery("INSERT INTO applied_log (event_id, counter_key, n) VALUES (?1, ?2, ?3)")
                .setParameter(1, event.id())
                .setParameter(2, data.key())
                .setParameter(3, data.n())
                .executeUpdate();
    }
}
