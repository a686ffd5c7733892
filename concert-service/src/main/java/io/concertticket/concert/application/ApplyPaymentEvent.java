package io.concertticket.concert.application;

import io.concertticket.concert.domain.Reservation;
import io.concertticket.concert.domain.Seat;
import io.concertticket.concert.infrastructure.ConcertConfig;
import io.concertticket.concert.infrastructure.ReservationRepository;
import io.concertticket.concert.infrastructure.SeatRepository;
import io.concertticket.events.EventConsumerSupport;
import io.concertticket.events.EventEnvelope;
import io.concertticket.events.EventInbox;
import io.concertticket.events.OutboxPublisher;
import io.concertticket.events.PoisonEventException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * Applies an event of {@code payment.payment-events}, once per event id. payment-service decides whether a
 * reservation was paid or expired (docs/architecture.md, "Paid or expired: one decider"); this service
 * follows: {@code PaymentCompleted} sells the seat, {@code PaymentWindowClosed} cancels the reservation, puts
 * the seat back on sale and publishes {@code ReservationExpired}. No seat is freed on this service's own
 * clock, so however late either decision arrives, a paid seat has never been on sale to anyone else.
 * {@code PaymentRefunded} concerns payment-service only.
 */
@ApplicationScoped
public class ApplyPaymentEvent {

    static final String CONSUMER = "concert-service";
    private static final Logger LOG = Logger.getLogger(ApplyPaymentEvent.class);

    private final EventInbox inbox;
    private final EventConsumerSupport support;
    private final ReservationRepository reservations;
    private final SeatRepository seats;
    private final OutboxPublisher outbox;
    private final ConcertConfig config;
    private final Counter sold;
    private final Counter expired;

    ApplyPaymentEvent(EventInbox inbox, EventConsumerSupport support, ReservationRepository reservations,
                      SeatRepository seats, OutboxPublisher outbox, ConcertConfig config, MeterRegistry meters) {
        this.inbox = inbox;
        this.support = support;
        this.reservations = reservations;
        this.seats = seats;
        this.outbox = outbox;
        this.config = config;
        this.sold = meters.counter("concert.payments.applied");
        this.expired = meters.counter("concert.reservations.expired");
    }

    @Transactional
    public void apply(EventEnvelope event) {
        switch (event.type()) {
            case ReservationEvents.PAYMENT_COMPLETED -> paymentCompleted(event);
            case ReservationEvents.PAYMENT_WINDOW_CLOSED -> paymentWindowClosed(event);
            case ReservationEvents.PAYMENT_REFUNDED -> {
                // payment-service's own bookkeeping: nothing changes here
            }
            default -> throw new PoisonEventException("unknown event type " + event.type());
        }
    }

    private void paymentCompleted(EventEnvelope event) {
        requireVersion(event);
        ReservationEvents.PaymentCompleted data = support.data(event, ReservationEvents.PaymentCompleted.class);
        if (data.reservationId() == null || data.userId() == null || data.paidAt() == null) {
            throw new PoisonEventException("PaymentCompleted without reservationId, userId or paidAt");
        }
        if (!inbox.firstDelivery(CONSUMER, event.id())) {
            return;
        }
        Reservation reservation = ownReservation(event, data.reservationId(), data.userId());
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

    private void paymentWindowClosed(EventEnvelope event) {
        requireVersion(event);
        ReservationEvents.PaymentWindowClosed data = support.data(event, ReservationEvents.PaymentWindowClosed.class);
        if (data.reservationId() == null || data.userId() == null || data.closedAt() == null) {
            throw new PoisonEventException("PaymentWindowClosed without reservationId, userId or closedAt");
        }
        if (!inbox.firstDelivery(CONSUMER, event.id())) {
            return;
        }
        Reservation reservation = ownReservation(event, data.reservationId(), data.userId());
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
        outbox.publish(config.topics().reservationEvents(), reservation.getId().toString(),
                ReservationEvents.RESERVATION_EXPIRED, ReservationEvents.subject(reservation.getId()), ReservationEvents.VERSION,
                new ReservationEvents.ReservationExpired(reservation.getId(), reservation.getUserId(),
                        reservation.getConcertId(), reservation.getScheduleId(), reservation.getSeatId(),
                        reservation.getSeatNumber(), closedAt));
        expired.increment();
    }

    private Reservation ownReservation(EventEnvelope event, long reservationId, String userId) {
        Reservation reservation = reservations.lock(reservationId);
        if (reservation == null) {
            throw new PoisonEventException(event.type() + " for unknown reservation " + reservationId);
        }
        if (!reservation.isOwnedBy(userId)) {
            throw new PoisonEventException(event.type() + " by " + userId + " for reservation " + reservationId
                    + " of another user");
        }
        return reservation;
    }

    private static void requireVersion(EventEnvelope event) {
        if (event.dataVersion() != ReservationEvents.VERSION) {
            throw new PoisonEventException(event.type() + " dataversion " + event.dataVersion() + " is not supported");
        }
    }
}
