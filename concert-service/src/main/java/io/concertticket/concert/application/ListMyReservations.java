package io.concertticket.concert.application;

import io.concertticket.concert.domain.Page;
import io.concertticket.concert.domain.Reservation;
import io.concertticket.concert.infrastructure.ReservationRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** The caller's reservations for the concert their access token is for, newest first. */
@ApplicationScoped
public class ListMyReservations {

    private final ReservationRepository reservations;

    ListMyReservations(ReservationRepository reservations) {
        this.reservations = reservations;
    }

    @Transactional
    @ReadOnly
    public Page<Reservation> page(String userId, long tokenConcertId, int page, int size) {
        return new Page<>(reservations.ofUser(userId, tokenConcertId, page, size), page, size,
                reservations.countOfUser(userId, tokenConcertId));
    }
}
