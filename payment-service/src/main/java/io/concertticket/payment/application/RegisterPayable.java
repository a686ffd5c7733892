package io.concertticket.payment.application;

import io.concertticket.events.EventInbox;
import io.concertticket.payment.domain.PayableReservation;
import io.concertticket.payment.infrastructure.PayableReservationRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.UUID;

/** SeatHeld: the reservation becomes payable (BOOKED) with the price and deadline concert-service set. */
@ApplicationScoped
public class RegisterPayable {

    public static final String CONSUMER = "payment-service";

    public record SeatHeld(long reservationId, String userId, long concertId, Long scheduleId, Long seatId,
                           Integer seatNumber, long price, Instant heldAt, Instant expiresAt) {
    }

    private final EventInbox inbox;
    private final PayableReservationRepository reservations;

    RegisterPayable(EventInbox inbox, PayableReservationRepository reservations) {
        this.inbox = inbox;
        this.reservations = reservations;
    }

    @Transactional
    public void apply(UUID eventId, SeatHeld e) {
        if (!inbox.firstDelivery(CONSUMER, eventId)) {
            return;
        }
        // a reservation already known (late duplicate, or it expired first) keeps its state
        if (reservations.findById(e.reservationId()) != null) {
            return;
        }
        reservations.persist(PayableReservation.held(e.reservationId(), e.userId(), e.concertId(), e.scheduleId(),
                e.seatId(), e.seatNumber(), e.price(), e.heldAt(), e.expiresAt(), Instant.now()));
    }
}
