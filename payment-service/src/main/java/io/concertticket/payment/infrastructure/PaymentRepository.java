package io.concertticket.payment.infrastructure;

import io.concertticket.payment.application.Payments;
import io.concertticket.payment.domain.Payment;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class PaymentRepository implements PanacheRepositoryBase<Payment, UUID>, Payments {

    @Override
    public void add(Payment payment) {
        persist(payment);
    }

    @Override
    public Optional<Payment> findByReservation(long reservationId) {
        return find("reservationId", reservationId).firstResultOptional();
    }
}
