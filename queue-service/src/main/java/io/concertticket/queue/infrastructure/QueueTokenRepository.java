package io.concertticket.queue.infrastructure;

import io.concertticket.queue.domain.QueueToken;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class QueueTokenRepository implements PanacheRepositoryBase<QueueToken, UUID> {

    /** The mapped columns, for native queries that return managed entities. */
    private static final String COLUMNS = "id, concert_id, user_id, seq, status, registered_at, activated_at, expires_at, expired_at, expiry_reason";

    /**
     * @param existing   the user's live token, when they already had one
     * @param created    the new token, when one was inserted
     * @param seq        the new token's arrival number
     * @param servedUpTo the room's served counter as seen under its lock
     * @param lastSeq    the room's latest arrival number as seen under its lock
     */
    public record RegistrationOutcome(UUID existing, UUID created, long seq, long servedUpTo, long lastSeq) {
        /** Neither found nor created: a simultaneous registration of the same user won the unique index. */
        public boolean lostRace() {
            return existing == null && created == null;
        }
    }

    /**
     * Registration as one statement: unless the user already holds a live place, draw the room's next
     * arrival number (creating the room on first use; the row lock taken here orders concurrent
     * registrations, so numbers commit in order) and insert the token with it.
     */
    public RegistrationOutcome registerOrFind(UUID id, long concertId, String userId) {
        Object[] row = (Object[]) getEntityManager().createNativeQuery("""
                        WITH existing AS (
                            SELECT id FROM queue_token
                             WHERE concert_id = :concert AND user_id = :user AND status IN ('STANDBY', 'ACTIVE')
                        ), room AS (
                            INSERT INTO waiting_room AS r (concert_id, last_seq)
                            SELECT :concert, 1 WHERE NOT EXISTS (SELECT 1 FROM existing)
                            ON CONFLICT (concert_id) DO UPDATE SET last_seq = r.last_seq + 1
                            RETURNING r.last_seq, r.served_up_to
                        ), created AS (
                            INSERT INTO queue_token (id, concert_id, user_id, seq, status, registered_at, last_polled_at)
                            SELECT :id, :concert, :user, room.last_seq, 'STANDBY', now(), now() FROM room
                            ON CONFLICT (concert_id, user_id) WHERE status IN ('STANDBY', 'ACTIVE') DO NOTHING
                            RETURNING id, seq
                        )
                        SELECT (SELECT id FROM existing LIMIT 1), (SELECT id FROM created), (SELECT seq FROM created),
                               (SELECT served_up_to FROM room), (SELECT last_seq FROM room)
                        """)
                .setParameter("concert", concertId)
                .setParameter("user", userId)
                .setParameter("id", id)
                .getSingleResult();
        return new RegistrationOutcome((UUID) row[0], (UUID) row[1], longOf(row[2]), longOf(row[3]), longOf(row[4]));
    }

    public UUID liveTokenOf(long concertId, String userId) {
        List<?> ids = getEntityManager().createNativeQuery(
                        "SELECT id FROM queue_token WHERE concert_id = :concert AND user_id = :user AND status IN ('STANDBY', 'ACTIVE')")
                .setParameter("concert", concertId)
                .setParameter("user", userId)
                .getResultList();
        return ids.isEmpty() ? null : (UUID) ids.get(0);
    }

    /** The first {@code limit} waiting tokens in arrival order, locked (the caller holds the room lock). */
    @SuppressWarnings("unchecked")
    public List<QueueToken> headOfLine(long concertId, int limit) {
        return getEntityManager().createNativeQuery("SELECT " + COLUMNS + " FROM queue_token "
                        + "WHERE concert_id = :concert AND status = 'STANDBY' ORDER BY seq LIMIT :limit FOR UPDATE", QueueToken.class)
                .setParameter("concert", concertId)
                .setParameter("limit", limit)
                .getResultList();
    }

    public long countActive(long concertId) {
        return ((Number) getEntityManager().createNativeQuery(
                        "SELECT count(*) FROM queue_token WHERE concert_id = :concert AND status = 'ACTIVE'")
                .setParameter("concert", concertId)
                .getSingleResult()).longValue();
    }

    /** ACTIVE tokens past their expiry, locked; rows another replica is sweeping are skipped. */
    @SuppressWarnings("unchecked")
    public List<QueueToken> activePastExpiry(Instant now, int limit) {
        return getEntityManager().createNativeQuery("SELECT " + COLUMNS + " FROM queue_token "
                        + "WHERE status = 'ACTIVE' AND expires_at <= :now ORDER BY expires_at LIMIT :limit FOR UPDATE SKIP LOCKED",
                        QueueToken.class)
                .setParameter("now", now)
                .setParameter("limit", limit)
                .getResultList();
    }

    /** Waiting tokens of a room not polled since {@code since}, locked (the caller holds the room lock). */
    @SuppressWarnings("unchecked")
    public List<QueueToken> waitingNotPolledSince(long concertId, Instant since, int limit) {
        return getEntityManager().createNativeQuery("SELECT " + COLUMNS + " FROM queue_token "
                        + "WHERE concert_id = :concert AND status = 'STANDBY' AND last_polled_at < :since ORDER BY seq LIMIT :limit FOR UPDATE",
                        QueueToken.class)
                .setParameter("concert", concertId)
                .setParameter("since", since)
                .setParameter("limit", limit)
                .getResultList();
    }

    /** The user's ACTIVE token for the concert, locked. */
    @SuppressWarnings("unchecked")
    public Optional<QueueToken> activeTokenOf(long concertId, String userId) {
        List<QueueToken> found = getEntityManager().createNativeQuery("SELECT " + COLUMNS + " FROM queue_token "
                        + "WHERE concert_id = :concert AND user_id = :user AND status = 'ACTIVE' FOR UPDATE", QueueToken.class)
                .setParameter("concert", concertId)
                .setParameter("user", userId)
                .getResultList();
        return found.stream().findFirst();
    }

    private static long longOf(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }
}
