package io.concertticket.concert.application;

import io.concertticket.concert.domain.ConcertAccessDeniedException;
import io.concertticket.concert.domain.NotFoundException;
import io.concertticket.concert.domain.Reservation;
import io.concertticket.concert.infrastructure.ReservationRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

@ApplicationScoped
public class GetReservation {

    private final ReservationRepository reservations;

    GetReservation(ReservationRepository reservations) {
        this.reservations = reservations;
    }

    /** Another user's reservation is reported as missing: its existence is none of the caller's business. */
    @Transactional
    @ReadOnly
    public Reservation of(long reservationId, String userId, Long tokenConcertId) {
        Reservation r = reservations.findByIdOptional(reservationId)
                .filter(found -> found.isOwnedBy(userId))
                .orElseThrow(() -> NotFoundException.reservation(reservationId));
        if (!r.getConcertId().equals(tokenConcertId)) {
            throw new ConcertAccessDeniedException(r.getConcertId());
        }
        return r;
    }
}
