package io.concertticket.payment.infrastructure;

import io.concertticket.payment.domain.PayableReservation;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.util.Optional;

@ApplicationScoped
public class PayableReservationRepository implements PanacheRepositoryBase<PayableReservation, Long> {

    /** Loads the row with a row lock held to the end of the transaction: payment and expiry take turns. */
    public Optional<PayableReservation> lock(long reservationId) {
        return findByIdOptional(reservationId, LockModeType.PESSIMISTIC_WRITE);
    }

    public boolean exists(long reservationId) {
        return !getEntityManager().createNativeQuery("SELECT 1 FROM payable_reservation WHERE reservation_id = ?1")
                .setParameter(1, reservationId)
                .getResultList().isEmpty();
    }
}
