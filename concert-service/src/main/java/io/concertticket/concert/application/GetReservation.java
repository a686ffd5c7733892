package io.concertticket.concert.application;

import io.concertticket.concert.domain.NotFoundException;
import io.concertticket.concert.domain.Reservation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

@ApplicationScoped
public class GetReservation {

    private final Reservations reservations;

    GetReservation(Reservations reservations) {
        this.reservations = reservations;
    }

    /**
     * One of the account's own reservations, whatever its concert and whether or not the account is still
     * admitted (a buyer sees what they bought after the sale). Another account's reservation is reported
     * as missing: its existence is none of the caller's business.
     */
    @Transactional
    @ReadOnly
    public Reservation of(long reservationId, String accountId) {
        return reservations.byId(reservationId)
                .filter(found -> found.isOwnedBy(accountId))
                .orElseThrow(() -> NotFoundException.reservation(reservationId));
    }
}
