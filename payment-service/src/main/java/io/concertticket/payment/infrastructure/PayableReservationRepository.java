package io.concertticket.payment.infrastructure;

import io.concertticket.payment.domain.PayableReservation;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class PayableReservationRepository implements PanacheRepositoryBase<PayableReservation, Long> {

    /** Loads the row with a row lock held to the end of the transaction: payment and expiry take turns. */
    public Optional<PayableReservation> lock(long reservationId) {
        return findByIdOptional(reservationId, LockModeType.PESSIMISTIC_WRITE);
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
