package io.concertticket.payment.application;

import io.concertticket.events.contract.ReservationEvents.SeatHeld;
import io.concertticket.payment.domain.PayableReservation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;

/**
 * SeatHeld: the reservation becomes payable (BOOKED) with the price and deadline concert-service set. One that
 * arrives already past its deadline (Kafka was away) is closed at once, in the same transaction, so
 * concert-service learns without waiting for the next sweep that the seat may go back on sale.
 */
@ApplicationScoped
public class RegisterPayable {

    private final PayableReservations reservations;
    private final ClosePaymentWindows windows;

    RegisterPayable(PayableReservations reservations, ClosePaymentWindows windows) {
        this.reservations = reservations;
        this.windows = windows;
    }

    @Transactional
    public void apply(SeatHeld e) {
        // a reservation already known (late duplicate, or it expired first) keeps its state
        if (reservations.byId(e.reservationId()).isPresent()) {
            return;
        }
        Instant now = Instant.now();
        PayableReservation payable = PayableReservation.held(e.reservationId(), e.userId(), e.concertId(), e.scheduleId(),
                e.seatId(), e.seatNumber(), e.price(), e.heldAt(), e.expiresAt(), now);
        reservations.add(payable);
        // a concurrent insert of the same id fails this transaction on the primary key: nobody else holds it
        windows.closeIfDue(payable, now);
    }
}
