package io.concertticket.queue.infrastructure;

import io.concertticket.queue.application.WaitingRooms;
import io.concertticket.queue.domain.DueRoom;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Duration;
import java.util.List;

/**
 * The per-concert counters of the waiting line, in two rows with a lock each (V1__waiting_rooms.sql,
 * V7__room_admission.sql): {@code waiting_room} holds the arrivals (registration's lock), {@code room_admission}
 * how far the line is served (admission's lock), so an admission round never holds up registration. Whatever
 * changes the line as a whole takes both, {@code waiting_room} first. Every method runs in the caller's transaction.
 */
@ApplicationScoped
public class WaitingRoomRepository implements WaitingRooms {

    private final EntityManager em;

    WaitingRoomRepository(EntityManager em) {
        this.em = em;
    }

    /**
     * The current admission round for {@code tick} on the database clock: the start, in ms, of the tick
     * interval we are in. Replicas with skewed clocks still agree on it.
     */
    @Override
    public long currentRound(Duration tick) {
        return ((Number) em.createNativeQuery(
                        "SELECT CAST(floor(extract(epoch FROM clock_timestamp()) * 1000 / :ms) * :ms AS bigint)")
                .setParameter("ms", tick.toMillis())
                .getSingleResult()).longValue();
    }

    /**
     * Takes the room's admission lock for round {@code round} until commit; false when that round (or a later one)
     * was already taken, by this replica or another (a replica that waited for the lock re-reads the row).
     * Registration does not take this lock, so it goes on meanwhile.
     */
    @Override
    public boolean lockForRound(long concertId, long round) {
        return !em.createNativeQuery("SELECT concert_id FROM room_admission "
                        + "WHERE concert_id = :concert AND last_admission_round < :round FOR UPDATE")
                .setParameter("round", round)
                .setParameter("concert", concertId)
                .getResultList().isEmpty();
    }

    @Override
    public void takeRound(long concertId, long round, int slots, int admitted, Duration keepRoundsFor) {
        em.createNativeQuery("UPDATE room_admission SET last_admission_round = :round WHERE concert_id = :concert")
                .setParameter("round", round)
                .setParameter("concert", concertId)
                .executeUpdate();
        em.createNativeQuery("INSERT INTO admission_round (concert_id, round_at, slots, admitted) "
                        + "VALUES (:concert, to_timestamp(:round / 1000.0), :slots, :admitted) ON CONFLICT DO NOTHING")
                .setParameter("concert", concertId)
                .setParameter("round", round)
                .setParameter("slots", slots)
                .setParameter("admitted", admitted)
                .executeUpdate();
        em.createNativeQuery("DELETE FROM admission_round WHERE concert_id = :concert "
                        + "AND round_at < clock_timestamp() - make_interval(secs => :keep)")
                .setParameter("concert", concertId)
                .setParameter("keep", keepRoundsFor.toSeconds())
                .executeUpdate();
    }

    @Override
    public void markServed(long concertId, long servedUpTo) {
        em.createNativeQuery("UPDATE room_admission SET served_up_to = GREATEST(served_up_to, :served) WHERE concert_id = :concert")
                .setParameter("served", servedUpTo)
                .setParameter("concert", concertId)
                .executeUpdate();
    }

    /** Takes both of the room's locks until commit (arrivals, then admission), creating the (empty) room first if need be. */
    @Override
    public void lockOrCreate(long concertId) {
        em.createNativeQuery("INSERT INTO waiting_room AS r (concert_id, last_seq) VALUES (:concert, 0) "
                        + "ON CONFLICT (concert_id) DO UPDATE SET last_seq = r.last_seq")
                .setParameter("concert", concertId)
                .executeUpdate();
        em.createNativeQuery("INSERT INTO room_admission AS a (concert_id) VALUES (:concert) "
                        + "ON CONFLICT (concert_id) DO UPDATE SET served_up_to = a.served_up_to")
                .setParameter("concert", concertId)
                .executeUpdate();
    }

    /**
     * Creates the admission row of a room whose {@code waiting_room} row the caller has just created (and holds): it
     * may exist already, from an operator's change before anyone registered.
     */
    public void createAdmission(long concertId) {
        em.createNativeQuery("INSERT INTO room_admission (concert_id) VALUES (:concert) ON CONFLICT DO NOTHING")
                .setParameter("concert", concertId)
                .executeUpdate();
    }

    /** Takes the room's admission lock until commit (the caller holds its arrivals lock: the opening). */
    public void lockAdmission(long concertId) {
        em.createNativeQuery("SELECT concert_id FROM room_admission WHERE concert_id = :concert FOR UPDATE")
                .setParameter("concert", concertId)
                .getResultList();
    }

    /** Takes both of the room's locks until commit (arrivals, then admission); false when there is no such room. */
    @Override
    public boolean lock(long concertId) {
        if (em.createNativeQuery("SELECT concert_id FROM waiting_room WHERE concert_id = :concert FOR UPDATE")
                .setParameter("concert", concertId)
                .getResultList().isEmpty()) {
            return false;
        }
        lockAdmission(concertId);
        return true;
    }

    @Override
    public void countDropped(long concertId, int dropped) {
        em.createNativeQuery("UPDATE waiting_room SET abandoned_total = abandoned_total + :n WHERE concert_id = :concert")
                .setParameter("n", dropped)
                .setParameter("concert", concertId)
                .executeUpdate();
    }

    /**
     * Rooms with people waiting, of sales that are open (opened, not ended: no admission outside a sale), admitting
     * (not paused or stopped by an operator), whose current round (on the grid of the sale's own tick,
     * {@code defaultTick} without one) they have not taken yet.
     */
    @Override
    @SuppressWarnings("unchecked")
    public List<DueRoom> roomsDueForAdmission(Duration defaultTick) {
        List<Object[]> rows = em.createNativeQuery("SELECT w.concert_id, r.round FROM waiting_room w "
                        + "JOIN room_admission a ON a.concert_id = w.concert_id "
                        + "JOIN sale s ON s.concert_id = w.concert_id "
                        + "LEFT JOIN sale_control c ON c.concert_id = w.concert_id "
                        + "CROSS JOIN LATERAL (SELECT CAST(floor(extract(epoch FROM clock_timestamp()) * 1000 / t.ms) * t.ms AS bigint) AS round "
                        + "  FROM (SELECT coalesce(c.tick_ms, :tick) AS ms) t) r "
                        + "WHERE w.last_seq > a.served_up_to AND coalesce(c.admission, 'RUNNING') = 'RUNNING' "
                        + "AND s.opened_at IS NOT NULL AND s.closed_at IS NULL AND (s.closes_at IS NULL OR s.closes_at > clock_timestamp()) "
                        + "AND a.last_admission_round < r.round ORDER BY w.concert_id")
                .setParameter("tick", defaultTick.toMillis())
                .getResultList();
        return rows.stream().map(r -> new DueRoom(((Number) r[0]).longValue(), ((Number) r[1]).longValue())).toList();
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Long> roomsWithWaiting() {
        return ((List<Number>) em.createNativeQuery(
                        "SELECT w.concert_id FROM waiting_room w LEFT JOIN room_admission a ON a.concert_id = w.concert_id "
                                + "WHERE w.last_seq > coalesce(a.served_up_to, 0) ORDER BY w.concert_id")
                .getResultList()).stream().map(Number::longValue).toList();
    }
}
