package io.concertticket.payment.infrastructure;

import io.concertticket.payment.domain.PayableReservation;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class PayableReservationRepository implements PanacheRepositoryBase<PayableReservation, Long> {

    /** Loads the row with a row lock held to the end of the transaction: payment and expiry take turns. */
    public Optional<PayableReservation> lock(long reservationId) {
        return findByIdOptional(reservationId, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * Locks up to {@code limit} BOOKED reservations past their deadline, skipping rows a payment or another
     * replica's sweeper has locked: a payment in flight finishes first, and replicas never wait for each other.
     */
    @SuppressWarnings("unchecked")
    public List<PayableReservation> lockDueForClosing(Instant now, int limit) {
        return getEntityManager().createNativeQuery(
                        "SELECT * FROM payable_reservation WHERE status = 'BOOKED' AND expires_at <= ?1 "
                                + "ORDER BY expires_at LIMIT ?2 FOR UPDATE SKIP LOCKED", PayableReservation.class)
                .setParameter(1, now)
                .setParameter(2, limit)
                .getResultList();
    }

    /** Which of {@code reservationIds} are known here. */
    public List<Long> existingAmong(Collection<Long> reservationIds) {
        return getEntityManager()
                .createQuery("SELECT r.reservationId FROM PayableReservation r WHERE r.reservationId IN :ids", Long.class)
                .setParameter("ids", reservationIds)
                .getResultList();
    }

    public boolean exists(long reservationId) {
        return !getEntityManager().createNativeQuery("SELECT 1 FROM payable_reservation WHERE reservation_id = ?1")
                .setParameter(1, reservationId)
                .getResultList().isEmpty();
    }
}
