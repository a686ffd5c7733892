package io.concertticket.concert.application;

import io.concertticket.concert.domain.Page;
import io.concertticket.concert.domain.Reservation;
import io.concertticket.concert.infrastructure.ReadOnly;
import io.concertticket.concert.infrastructure.ReservationRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** The account's own reservations in every concert, newest first, one bounded page at a time. */
@ApplicationScoped
public class ListMyReservations {

    private final ReservationRepository reservations;

    ListMyReservations(ReservationRepository reservations) {
        this.reservations = reservations;
    }

    @Transactional
    @ReadOnly
    public Page<Reservation> page(String accountId, int page, int size) {
        return new Page<>(reservations.ofUser(accountId, page, size), page, size, reservations.countOfUser(accountId));
    }
}
