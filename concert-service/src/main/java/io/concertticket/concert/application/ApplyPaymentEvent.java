package io.concertticket.concert.application;

import io.concertticket.concert.domain.Reservation;
import io.concertticket.concert.domain.Seat;
import io.concertticket.events.OutboxPublisher;
import io.concertticket.events.contract.PaymentEvents.PaymentCompleted;
import io.concertticket.events.contract.PaymentEvents.PaymentWindowClosed;
import io.concertticket.events.contract.ReservationEvents.ReservationExpired;
import io.concertticket.events.PoisonEventException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * Applies an event of {@code payment.payment-events} (checked, and once per event id, by the adapter
 * {@code api.PaymentEventsConsumer}). payment-service decides whether a
 * reservation was paid or expired (docs/architecture.md, "Paid or expired: one decider"); this service
 * follows: {@code PaymentCompleted} sells the seat, {@code PaymentWindowClosed} cancels the reservation, puts
 * the seat back on sale and publishes {@code ReservationExpired}. No seat is freed on this service's own
 * clock, so however late either decision arrives, a paid seat has never been on sale to anyone else.
 * {@code PaymentRefunded} concerns payment-service only.
 */
@ApplicationScoped
public class ApplyPaymentEvent {

    private static final Logger LOG = Logger.getLogger(ApplyPaymentEvent.class);

    private final Reservations reservations;
    private final Seats seats;
    private final OutboxPublisher outbox;
    private final Counter sold;
    private final Counter expired;

    ApplyPaymentEvent(Reservations reservations,
                      Seats seats, OutboxPublisher outbox, MeterRegistry meters) {
        this.reservations = reservations;
        this.seats = seats;
        this.outbox = outbox;
        this.sold = meters.counter("concert.payments.applied");
        this.expired = meters.counter("concert.reservations.expired");
    }

    @Transactional
    public void paymentCompleted(PaymentCompleted data) {
        Reservation reservation = ownReservation("PaymentCompleted", data.reservationId(), data.userId());
        switch (reservation.markPaid(data.paidAt())) {
            case APPLIED -> {
                seats.lock(reservation.getSeatId()).sellTo(reservation.getUserId());
                sold.increment();
            }
            case ALREADY_PAID -> LOG.debugf("reservation %d already paid", reservation.getId());
            // payment-service decides both outcomes under one lock: both arriving is a bug there, kept for an operator
            case CONTRADICTS_CLOSED_WINDOW -> throw new PoisonEventException("PaymentCompleted " + data.paymentId()
                    + " for reservation " + reservation.getId() + " whose payment window payment-service closed");
        }
    }

    @Transactional
    public void paymentWindowClosed(PaymentWindowClosed data) {
        Reservation reservation = ownReservation("PaymentWindowClosed", data.reservationId(), data.userId());
        switch (reservation.paymentWindowClosed(data.closedAt())) {
            case CANCELED -> release(reservation, data.closedAt());
            case ALREADY_CANCELED -> LOG.debugf("reservation %d already canceled", reservation.getId());
            // never free a sold seat, whatever arrives: the sale stands and the event is kept for an operator
            case CONTRADICTS_PAYMENT -> throw new PoisonEventException("PaymentWindowClosed for reservation "
                    + reservation.getId() + ", which is PAID");
        }
    }

    /** The seat goes back on sale and the world hears of it, in the transaction of the cancellation. */
    private void release(Reservation reservation, Instant closedAt) {
        Seat seat = seats.lock(reservation.getSeatId());
        if (!seat.releaseHoldOf(reservation.getUserId())) {
            LOG.warnf("reservation %d canceled but seat %d was %s for %s; seat left as it is",
                    reservation.getId(), seat.getId(), seat.getStatus(), seat.getUserId());
        }
        outbox.publish(new ReservationExpired(reservation.getId(), reservation.getUserId(),
                        reservation.getConcertId(), reservation.getScheduleId(), reservation.getSeatId(),
                        reservation.getSeatNumber(), closedAt));
        expired.increment();
    }

    private Reservation ownReservation(String type, long reservationId, String userId) {
        Reservation reservation = reservations.lock(reservationId);
        if (reservation == null) {
            throw new PoisonEventException(type + " for unknown reservation " + reservationId);
        }
        if (!reservation.isOwnedBy(userId)) {
            throw new PoisonEventException(type + " by " + userId + " for reservation " + reservationId
                    + " of another user");
        }
        return reservation;
    }
}
