package io.concertticket.queue.infrastructure;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The per-concert counters of the waiting line (see V1__waiting_rooms.sql). Every method runs in the caller's transaction. */
@ApplicationScoped
public class WaitingRoomRepository {

    public record RoomCounters(long lastSeq, long servedUpTo) {
    }

    private final EntityManager em;

    WaitingRoomRepository(EntityManager em) {
        this.em = em;
    }

    /** Tick number on the database clock: replicas with skewed clocks still agree on it. */
    public long currentTick(Duration tick) {
        return ((Number) em.createNativeQuery(
                        "SELECT CAST(floor(extract(epoch FROM clock_timestamp()) * 1000 / :ms) AS bigint)")
                .setParameter("ms", tick.toMillis())
                .getSingleResult()).longValue();
    }

    /**
     * Claims {@code tick} for the room's admission. Holds the room's row lock until commit; empty when
     * the tick (or a later one) was already claimed, by this replica or another.
     */
    public Optional<RoomCounters> claimTick(long concertId, long tick) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("UPDATE waiting_room SET last_admission_tick = :tick "
                        + "WHERE concert_id = :concert AND last_admission_tick < :tick RETURNING last_seq, served_up_to")
                .setParameter("tick", tick)
                .setParameter("concert", concertId)
                .getResultList();
        return rows.stream().findFirst().map(r -> new RoomCounters(((Number) r[0]).longValue(), ((Number) r[1]).longValue()));
    }

    public void markServed(long concertId, long servedUpTo) {
        em.createNativeQuery("UPDATE waiting_room SET served_up_to = GREATEST(served_up_to, :served) WHERE concert_id = :concert")
                .setParameter("served", servedUpTo)
                .setParameter("concert", concertId)
                .executeUpdate();
    }

    /** Takes the room's row lock until commit; false when there is no such room. */
    public boolean lock(long concertId) {
        return !em.createNativeQuery("SELECT concert_id FROM waiting_room WHERE concert_id = :concert FOR UPDATE")
                .setParameter("concert", concertId)
                .getResultList().isEmpty();
    }

    public void countDropped(long concertId, int dropped) {
        em.createNativeQuery("UPDATE waiting_room SET abandoned_total = abandoned_total + :n WHERE concert_id = :concert")
                .setParameter("n", dropped)
                .setParameter("concert", concertId)
                .executeUpdate();
    }

    @SuppressWarnings("unchecked")
    public List<Long> roomsDueForAdmission(long tick) {
        return ((List<Number>) em.createNativeQuery(
                        "SELECT concert_id FROM waiting_room WHERE last_seq > served_up_to AND last_admission_tick < :tick ORDER BY concert_id")
                .setParameter("tick", tick)
                .getResultList()).stream().map(Number::longValue).toList();
    }

    @SuppressWarnings("unchecked")
    public List<Long> roomsWithWaiting() {
        return ((List<Number>) em.createNativeQuery(
                        "SELECT concert_id FROM waiting_room WHERE last_seq > served_up_to ORDER BY concert_id")
                .getResultList()).stream().map(Number::longValue).toList();
    }
}
