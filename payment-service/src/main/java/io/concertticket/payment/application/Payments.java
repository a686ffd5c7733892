package io.concertticket.payment.application;

import io.concertticket.payment.domain.Payment;

import java.util.Optional;

/** The payments made, read and written in the caller's transaction. */
public interface Payments {

    void add(Payment payment);

    Optional<Payment> findByReservation(long reservationId);
}
