package io.concertticket.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.UUID;

/**
 * Idempotent consumption: {@link #applyOnce} records the event id and applies the effect in one transaction
 * ({@link EventTopic} calls it for every consumer). A redelivered event finds its id already recorded and
 * changes nothing; if the transaction rolls back, the id is not recorded either.
 */
@ApplicationScoped
public class EventInbox {

    private final EntityManager em;

    EventInbox(EntityManager em) {
        this.em = em;
    }

    /**
     * Runs {@code effect} in the same transaction as the record of {@code eventId}, unless the id is recorded
     * already (a redelivery). An exception from the effect rolls both back.
     *
     * @return true if applied, false for a redelivery
     */
    @Transactional
    public boolean applyOnce(String consumer, UUID eventId, Runnable effect) {
        if (!firstDelivery(consumer, eventId)) {
            return false;
        }
        effect.run();
        return true;
    }

    /** @return true the first time this consumer sees this event id, false for a redelivery */
    private boolean firstDelivery(String consumer, UUID eventId) {
        int inserted = em.createNativeQuery(
                        "INSERT INTO processed_event (consumer, event_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
                .setParameter(1, consumer)
                .setParameter(2, eventId)
                .executeUpdate();
        return inserted == 1;
    }
}
