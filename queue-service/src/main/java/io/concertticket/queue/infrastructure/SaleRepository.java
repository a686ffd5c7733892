package io.concertticket.queue.infrastructure;

import io.concertticket.queue.application.Sales;
import io.concertticket.queue.domain.Sale;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** The {@code sale} table (V2__sales.sql). Every method runs in the caller's transaction. */
@ApplicationScoped
public class SaleRepository implements Sales {

    static final String COLUMNS = "concert_id, title, opens_at, closes_at, pre_queue_enabled, pre_queue_lead_seconds, revision, "
            + "closed_at, opened_at, shuffle_seed, pre_queue_shuffled";

    private final EntityManager em;

    SaleRepository(EntityManager em) {
        this.em = em;
    }

    /**
     * Stores an announcement unless one of the same or a higher revision is already stored (a duplicate, or
     * an older one delivered late). What happened here (opening, close) is never overwritten.
     *
     * @return whether it changed the sale
     */
    @Override
    public boolean applyAnnouncement(long concertId, String title, Instant opensAt, Instant closesAt, boolean preQueueEnabled,
                                     long preQueueLeadSeconds, long revision) {
        return em.createNativeQuery("INSERT INTO sale AS s (concert_id, title, opens_at, closes_at, pre_queue_enabled, "
                        + "pre_queue_lead_seconds, revision) VALUES (:concert, :title, :opens, :closes, :pre, :lead, :revision) "
                        + "ON CONFLICT (concert_id) DO UPDATE SET title = EXCLUDED.title, opens_at = EXCLUDED.opens_at, "
                        + "closes_at = EXCLUDED.closes_at, pre_queue_enabled = EXCLUDED.pre_queue_enabled, "
                        + "pre_queue_lead_seconds = EXCLUDED.pre_queue_lead_seconds, revision = EXCLUDED.revision "
                        + "WHERE s.revision < EXCLUDED.revision")
                .setParameter("concert", concertId)
                .setParameter("title", title)
                .setParameter("opens", opensAt)
                .setParameter("closes", closesAt)
                .setParameter("pre", preQueueEnabled)
                .setParameter("lead", preQueueLeadSeconds)
                .setParameter("revision", revision)
                .executeUpdate() == 1;
    }

    @Override
    public Optional<AtDatabaseTime> find(long concertId, boolean lock) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT " + COLUMNS + ", clock_timestamp() FROM sale WHERE concert_id = :concert"
                        + (lock ? " FOR UPDATE" : ""))
                .setParameter("concert", concertId)
                .getResultList();
        return rows.stream().findFirst().map(r -> new AtDatabaseTime(saleOf(r), instant(r[11])));
    }

    @Override
    public boolean close(long concertId) {
        return em.createNativeQuery("UPDATE sale SET closed_at = COALESCE(closed_at, clock_timestamp()) WHERE concert_id = :concert")
                .setParameter("concert", concertId)
                .executeUpdate() == 1;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Long> dueForOpening() {
        return ((List<Number>) em.createNativeQuery("SELECT concert_id FROM sale "
                        + "WHERE opened_at IS NULL AND closed_at IS NULL AND opens_at <= clock_timestamp() ORDER BY concert_id")
                .getResultList()).stream().map(Number::longValue).toList();
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Long> endedWithWaiting() {
        return ((List<Number>) em.createNativeQuery("SELECT s.concert_id FROM sale s "
                        + "WHERE (s.closed_at IS NOT NULL OR s.closes_at <= clock_timestamp()) "
                        + "AND EXISTS (SELECT 1 FROM queue_token t WHERE t.concert_id = s.concert_id AND t.status = 'STANDBY') "
                        + "ORDER BY s.concert_id")
                .getResultList()).stream().map(Number::longValue).toList();
    }

    /**
     * The opening, once per sale, whichever replica or registration gets there first: the caller holds both of
     * the room's locks (arrivals and admission), so no registration or admission runs meanwhile. The pre-queue's provisional numbers
     * -1, -2, ... become {@code last_seq + rank}, rank by SHA-256(seed || token id) (see FairShuffle),
     * dropped pre-queue tokens included (they become gaps); whoever registers afterwards is behind them.
     *
     * @return whether this call opened the sale (false: not due, already opened, or ended before it opened)
     */
    @Override
    public boolean openIfDue(long concertId, String seed) {
        Optional<AtDatabaseTime> found = find(concertId, true);
        if (found.isEmpty() || found.get().sale().openedAt() != null || found.get().now().isBefore(found.get().sale().opensAt())
                || found.get().sale().endedAt(found.get().now())) {
            return false;
        }
        boolean preQueue = found.get().sale().preQueueEnabled();
        int shuffled = em.createNativeQuery("UPDATE queue_token t SET seq = w.last_seq + r.rank "
                        + "FROM waiting_room w, (SELECT id, row_number() OVER (ORDER BY sha256(convert_to(:seed || CAST(id AS text), 'UTF8')), "
                        + "CAST(id AS text)) AS rank FROM queue_token WHERE concert_id = :concert AND seq < 0) r "
                        + "WHERE w.concert_id = :concert AND t.id = r.id")
                .setParameter("seed", seed)
                .setParameter("concert", concertId)
                .executeUpdate();
        if (shuffled > 0) {
            // the gaps (dropped pre-queue tokens) moved: bump the drop counter so caches reload them
            em.createNativeQuery("UPDATE waiting_room SET last_seq = last_seq + :n, "
                            + "abandoned_total = abandoned_total + CASE WHEN EXISTS (SELECT 1 FROM queue_token "
                            + "WHERE concert_id = :concert AND status = 'EXPIRED' AND activated_at IS NULL "
                            + "AND seq > coalesce((SELECT served_up_to FROM room_admission WHERE concert_id = :concert), 0)) THEN 1 ELSE 0 END "
                            + "WHERE concert_id = :concert")
                    .setParameter("n", shuffled)
                    .setParameter("concert", concertId)
                    .executeUpdate();
        }
        em.createNativeQuery("UPDATE sale SET opened_at = clock_timestamp(), shuffle_seed = :seed, pre_queue_shuffled = :n "
                        + "WHERE concert_id = :concert")
                .setParameter("seed", preQueue || shuffled > 0 ? seed : null)
                .setParameter("n", shuffled)
                .setParameter("concert", concertId)
                .executeUpdate();
        return true;
    }

    static Sale saleOf(Object[] r) {
        return new Sale(((Number) r[0]).longValue(), (String) r[1], instant(r[2]), instant(r[3]), (Boolean) r[4],
                Duration.ofSeconds(((Number) r[5]).longValue()), ((Number) r[6]).longValue(), instant(r[7]), instant(r[8]),
                (String) r[9], r[10] == null ? 0 : ((Number) r[10]).longValue());
    }

    static Instant instant(Object o) {
        return switch (o) {
            case null -> null;
            case Instant i -> i;
            case Timestamp t -> t.toInstant();
            case OffsetDateTime odt -> odt.toInstant();
            default -> throw new IllegalStateException("not a timestamp: " + o.getClass());
        };
    }
}
