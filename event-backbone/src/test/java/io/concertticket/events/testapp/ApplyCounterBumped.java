package io.concertticket.events.testapp;

import io.concertticket.events.EventEnvelope;
import io.concertticket.events.EventInbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** The consuming use case, idempotent through the inbox, as docs/contracts.md prescribes. */
@ApplicationScoped
public class ApplyCounterBumped {

    public static final String CONSUMER = "event-backbone-test";

    private final EntityManager em;
    private final EventInbox inbox;

    ApplyCounterBumped(EntityManager em, EventInbox inbox) {
        this.em = em;
        this.inbox = inbox;
    }

    @Transactional
    public void apply(EventEnvelope event, CounterBumped data) {
        if (!inbox.firstDelivery(CONSUMER, event.id())) {
            return;
        }
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
