package io.concertticket.payment.infrastructure;

import io.concertticket.payment.application.PayableReservations;
import io.concertticket.payment.domain.PayableReservation;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class PayableReservationRepository implements PanacheRepositoryBase<PayableReservation, Long>, PayableReservations {

    @Override
    public void add(PayableReservation reservation) {
        persist(reservation);
    }

    @Override
    public Optional<PayableReservation> byId(long reservationId) {
        return findByIdOptional(reservationId);
    }

    @Override
    public Optional<PayableReservation> lock(long reservationId) {
        return findByIdOptional(reservationId, LockModeType.PESSIMISTIC_WRITE);
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<PayableReservation> lockDueForClosing(Instant now, int limit) {
        return getEntityManager().createNativeQuery(
                        "SELECT * FROM payable_reservation WHERE status = 'BOOKED' AND expires_at <= ?1 "
                                + "ORDER BY expires_at LIMIT ?2 FOR UPDATE SKIP LOCKED", PayableReservation.class)
                .setParameter(1, now)
                .setParameter(2, limit)
                .getResultList();
    }

    @Override
    public List<Long> existingAmong(Collection<Long> reservationIds) {
        return getEntityManager()
                .createQuery("SELECT r.reservationId FROM PayableReservation r WHERE r.reservationId IN :ids", Long.class)
                .setParameter("ids", reservationIds)
                .getResultList();
    }

    @Override
    public boolean exists(long reservationId) {
        return !getEntityManager().createNativeQuery("SELECT 1 FROM payable_reservation WHERE reservation_id = ?1")
                .setParameter(1, reservationId)
                .getResultList().isEmpty();
    }
}
