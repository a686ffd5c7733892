package io.concertticket.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.UUID;

/**
 * Idempotent consumption: a consumer calls {@link #firstDelivery} inside the transaction that
 * applies the event. A redelivered event finds its id already recorded and changes nothing;
 * if the transaction rolls back, the id is not recorded either.
 */
@ApplicationScoped
public class EventInbox {

    private final EntityManager em;

    EventInbox(EntityManager em) {
        this.em = em;
    }

    /** @return true the first time this consumer sees this event id, false for a redelivery */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstDelivery(String consumer, UUID eventId) {
        int inserted = em.createNativeQuery(
                        "INSERT INTO processed_event (consumer, event_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
                .setParameter(1, consumer)
                .setParameter(2, eventId)
                .executeUpdate();
        return inserted == 1;
    }
}
