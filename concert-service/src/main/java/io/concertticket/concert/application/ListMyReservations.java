package io.concertticket.concert.application;

import io.concertticket.concert.domain.Page;
import io.concertticket.concert.domain.Reservation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** The account's own reservations in every concert, newest first, one bounded page at a time. */
@ApplicationScoped
public class ListMyReservations {

    private final Reservations reservations;

    ListMyReservations(Reservations reservations) {
        this.reservations = reservations;
    }

    @Transactional
    @ReadOnly
    public Page<Reservation> page(String accountId, int page, int size) {
        return new Page<>(reservations.ofUser(accountId, page, size), page, size, reservations.countOfUser(accountId));
    }
}
