package io.concertticket.queue.infrastructure;

import io.concertticket.queue.application.QueueTokens;
import io.concertticket.queue.domain.QueueToken;
import io.concertticket.queue.domain.TokenSnapshot;
import io.concertticket.queue.domain.TokenStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class QueueTokenRepository implements PanacheRepositoryBase<QueueToken, UUID>, QueueTokens {

    /** The mapped columns, for native queries that return managed entities. */
    private static final String COLUMNS = "id, concert_id, user_id, seq, status, registered_at, activated_at, expires_at, expired_at, expiry_reason";

    @Override
    @SuppressWarnings("unchecked")
    public List<QueueToken> headOfLine(long concertId, int limit) {
        return getEntityManager().createNativeQuery("SELECT " + COLUMNS + " FROM queue_token "
                        + "WHERE concert_id = :concert AND status = 'STANDBY' ORDER BY seq LIMIT :limit FOR UPDATE", QueueToken.class)
                .setParameter("concert", concertId)
                .setParameter("limit", limit)
                .getResultList();
    }

    /**
     * The first {@code limit} waiting tokens in arrival order (a pre-queue first) become ACTIVE from {@code now} until
     * {@code now + activePeriod}, in one statement (the caller holds the room's admission lock). The room's latest
     * arrival number is read in the same snapshot, so when fewer than {@code limit} were waiting, every arrival up to
     * it has left the line: registrations commit their tokens and the number together.
     */
    @Override
    @SuppressWarnings("unchecked")
    public ActivatedBatch activateHeadOfLine(long concertId, int limit, Instant now, Duration activePeriod) {
        List<Object[]> rows = getEntityManager().createNativeQuery("WITH head AS (SELECT id FROM queue_token "
                        + "WHERE concert_id = :concert AND status = 'STANDBY' ORDER BY seq LIMIT :limit FOR UPDATE) "
                        + "UPDATE queue_token t SET status = 'ACTIVE', activated_at = :now, expires_at = :expires FROM head "
                        + "WHERE t.id = head.id RETURNING t.id, t.user_id, t.seq, t.activated_at, t.expires_at, "
                        + "(SELECT last_seq FROM waiting_room WHERE concert_id = :concert)")
                .setParameter("concert", concertId)
                .setParameter("limit", limit)
                .setParameter("now", now)
                .setParameter("expires", now.plus(activePeriod))
                .getResultList();
        List<TokenSnapshot> activated = rows.stream()
                .map(r -> new TokenSnapshot((UUID) r[0], concertId, (String) r[1], ((Number) r[2]).longValue(), TokenStatus.ACTIVE,
                        SaleRepository.instant(r[3]), SaleRepository.instant(r[4]), null))
                .sorted(Comparator.comparingLong(TokenSnapshot::seq))
                .toList();
        return new ActivatedBatch(activated, rows.isEmpty() ? 0 : ((Number) rows.get(0)[5]).longValue());
    }

    @Override
    public long countActive(long concertId) {
        return ((Number) getEntityManager().createNativeQuery(
                        "SELECT count(*) FROM queue_token WHERE concert_id = :concert AND status = 'ACTIVE'")
                .setParameter("concert", concertId)
                .getSingleResult()).longValue();
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<QueueToken> activeOf(long concertId) {
        return getEntityManager().createNativeQuery("SELECT " + COLUMNS + " FROM queue_token "
                        + "WHERE concert_id = :concert AND status = 'ACTIVE' ORDER BY seq FOR UPDATE", QueueToken.class)
                .setParameter("concert", concertId)
                .getResultList();
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<QueueToken> activePastExpiry(Instant now, int limit) {
        return getEntityManager().createNativeQuery("SELECT " + COLUMNS + " FROM queue_token "
                        + "WHERE status = 'ACTIVE' AND expires_at <= :now ORDER BY expires_at LIMIT :limit FOR UPDATE SKIP LOCKED",
                        QueueToken.class)
                .setParameter("now", now)
                .setParameter("limit", limit)
                .getResultList();
    }

    @Override
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

    @Override
    @SuppressWarnings("unchecked")
    public Optional<QueueToken> lockedById(UUID id) {
        List<QueueToken> found = getEntityManager().createNativeQuery("SELECT " + COLUMNS + " FROM queue_token WHERE id = :id FOR UPDATE",
                        QueueToken.class)
                .setParameter("id", id)
                .getResultList();
        return found.stream().findFirst();
    }
}
