package io.concertticket.queue.infrastructure;

import io.concertticket.queue.application.SaleControlStore;
import io.concertticket.queue.domain.AdmissionState;
import io.concertticket.queue.domain.SaleControls;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The live controls of each sale (table {@code sale_control}, see V3__sale_controls.sql) and the record of
 * operators' changes. A sale without a row runs at the configured pace. Every method runs in the caller's
 * transaction.
 */
@ApplicationScoped
public class SaleControlRepository implements SaleControlStore {

    private final EntityManager em;
    private final QueueConfig config;

    SaleControlRepository(EntityManager em, QueueConfig config) {
        this.em = em;
        this.config = config;
    }

    @Override
    public SaleControls current(long concertId) {
        return row("SELECT admission, batch_size, tick_ms, max_active FROM sale_control WHERE concert_id = :concert", concertId)
                .orElseGet(this::defaults);
    }

    /** The sale's controls, locked until commit (the row is created with the defaults on first use). */
    @Override
    public SaleControls lock(long concertId) {
        em.createNativeQuery("INSERT INTO sale_control (concert_id) VALUES (:concert) ON CONFLICT (concert_id) DO NOTHING")
                .setParameter("concert", concertId)
                .executeUpdate();
        return row("SELECT admission, batch_size, tick_ms, max_active FROM sale_control WHERE concert_id = :concert FOR UPDATE",
                concertId)
                .orElseThrow();
    }

    /**
     * Stores the controls of a locked row; a change of the admission state restarts the observed rate. A value
     * equal to the configured one is stored as null (the configured value), so pausing a sale never pins its
     * pace, and a configured value outside what operators may set (a test's 250 ms tick) is never written.
     */
    @Override
    public void save(long concertId, SaleControls controls, boolean admissionChanged) {
        SaleControls d = defaults();
        em.createNativeQuery("UPDATE sale_control SET admission = :admission, batch_size = :batch, tick_ms = :tick, max_active = :cap, "
                        + "admission_since = CASE WHEN :changed THEN clock_timestamp() ELSE admission_since END, updated_at = clock_timestamp() "
                        + "WHERE concert_id = :concert")
                .setParameter("admission", controls.admission().name())
                .setParameter("batch", controls.batchSize() == d.batchSize() ? null : controls.batchSize())
                .setParameter("tick", controls.tick().equals(d.tick()) ? null : controls.tick().toMillis())
                .setParameter("cap", controls.maxActive() == d.maxActive() ? null : controls.maxActive())
                .setParameter("changed", admissionChanged)
                .setParameter("concert", concertId)
                .executeUpdate();
    }

    @Override
    public Change record(long concertId, String action, String operator, String before, String after, int endedSessions) {
        Object[] r = (Object[]) em.createNativeQuery("INSERT INTO sale_control_change "
                        + "(concert_id, action, operator, changed_at, before_controls, after_controls, ended_sessions) "
                        + "VALUES (:concert, :action, :operator, clock_timestamp(), CAST(:before AS jsonb), CAST(:after AS jsonb), :ended) "
                        + "RETURNING id, changed_at")
                .setParameter("concert", concertId)
                .setParameter("action", action)
                .setParameter("operator", operator)
                .setParameter("before", before)
                .setParameter("after", after)
                .setParameter("ended", endedSessions)
                .getSingleResult();
        return new Change(((Number) r[0]).longValue(), concertId, action, operator, instant(r[1]), before, after, endedSessions);
    }

    @Override
    public Optional<Change> latest(long concertId, String action) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT id, action, operator, changed_at, CAST(before_controls AS text), "
                        + "CAST(after_controls AS text), ended_sessions FROM sale_control_change WHERE concert_id = :concert "
                        + "AND action = :action ORDER BY id DESC LIMIT 1")
                .setParameter("concert", concertId)
                .setParameter("action", action)
                .getResultList();
        return rows.stream().findFirst().map(r -> change(concertId, r));
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Change> changes(long concertId, int limit) {
        List<Object[]> rows = em.createNativeQuery("SELECT id, action, operator, changed_at, CAST(before_controls AS text), "
                        + "CAST(after_controls AS text), ended_sessions FROM sale_control_change WHERE concert_id = :concert "
                        + "ORDER BY id DESC LIMIT :limit")
                .setParameter("concert", concertId)
                .setParameter("limit", limit)
                .getResultList();
        return rows.stream().map(r -> change(concertId, r)).toList();
    }

    private static Change change(long concertId, Object[] r) {
        return new Change(((Number) r[0]).longValue(), concertId, (String) r[1], (String) r[2], instant(r[3]),
                (String) r[4], (String) r[5], ((Number) r[6]).intValue());
    }

    public SaleControls defaults() {
        return new SaleControls(AdmissionState.RUNNING, config.admission().batchSize(), config.admission().tick(),
                config.admission().maxActivePerConcert());
    }

    /** Controls from a row's (admission, batch_size, tick_ms, max_active); nulls are the configured values. */
    public SaleControls of(String admission, Number batchSize, Number tickMs, Number maxActive) {
        SaleControls d = defaults();
        return new SaleControls(AdmissionState.valueOf(admission),
                batchSize == null ? d.batchSize() : batchSize.intValue(),
                tickMs == null ? d.tick() : Duration.ofMillis(tickMs.longValue()),
                maxActive == null ? d.maxActive() : maxActive.intValue());
    }

    @SuppressWarnings("unchecked")
    private Optional<SaleControls> row(String sql, long concertId) {
        List<Object[]> rows = em.createNativeQuery(sql).setParameter("concert", concertId).getResultList();
        return rows.stream().findFirst().map(r -> of((String) r[0], (Number) r[1], (Number) r[2], (Number) r[3]));
    }

    private static Instant instant(Object o) {
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        return ((java.sql.Timestamp) o).toInstant();
    }
}
