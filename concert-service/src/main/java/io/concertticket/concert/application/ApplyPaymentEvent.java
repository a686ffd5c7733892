package io.concertticket.concert.application;

import io.concertticket.concert.domain.Reservation;
import io.concertticket.concert.infrastructure.ReservationRepository;
import io.concertticket.concert.infrastructure.SeatRepository;
import io.concertticket.events.EventConsumerSupport;
import io.concertticket.events.EventEnvelope;
import io.concertticket.events.EventInbox;
import io.concertticket.events.PoisonEventException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

/**
 * Applies an event of {@code payment.payment-events}, once per event id: {@code PaymentCompleted}
 * sells the seat; {@code PaymentRefunded} concerns payment-service only.
 */
@ApplicationScoped
public class ApplyPaymentEvent {

    static final String CONSUMER = "concert-service";
    private static final Logger LOG = Logger.getLogger(ApplyPaymentEvent.class);

    private final EventInbox inbox;
    private final EventConsumerSupport support;
    private final ReservationRepository reservations;
    private final SeatRepository seats;
    private final Counter sold;

    ApplyPaymentEvent(EventInbox inbox, EventConsumerSupport support, ReservationRepository reservations,
                      SeatRepository seats, MeterRegistry meters) {
        this.inbox = inbox;
        this.support = support;
        this.reservations = reservations;
        this.seats = seats;
        this.sold = meters.counter("concert.payments.applied");
    }

    @Transactional
    public void apply(EventEnvelope event) {
        switch (event.type()) {
            case ReservationEvents.PAYMENT_COMPLETED -> paymentCompleted(event);
            case ReservationEvents.PAYMENT_REFUNDED -> {
                // the refund of a reservation we already cancelled: nothing changes here
            }
            default -> throw new PoisonEventException("unknown event type " + event.type());
        }
    }

    private void paymentCompleted(EventEnvelope event) {
        if (event.dataVersion() != ReservationEvents.VERSION) {
            throw new PoisonEventException("PaymentCompleted dataversion " + event.dataVersion() + " is not supported");
        }
        ReservationEvents.PaymentCompleted data = support.data(event, ReservationEvents.PaymentCompleted.class);
        if (data.reservationId() == null || data.userId() == null || data.paidAt() == null) {
            throw new PoisonEventException("PaymentCompleted without reservationId, userId or paidAt");
        }
        if (!inbox.firstDelivery(CONSUMER, event.id())) {
            return;
        }
        Reservation reservation = reservations.lock(data.reservationId());
        if (reservation == null) {
            throw new PoisonEventException("PaymentCompleted for unknown reservation " + data.reservationId());
        }
        if (!reservation.isOwnedBy(data.userId())) {
            throw new PoisonEventException("PaymentCompleted by " + data.userId() + " for reservation "
                    + data.reservationId() + " of another user");
        }
        switch (reservation.markPaid(data.paidAt())) {
            case APPLIED -> {
                seats.lock(reservation.getSeatId()).sellTo(reservation.getUserId());
                sold.increment();
            }
            case ALREADY_PAID -> LOG.debugf("reservation %d already paid", reservation.getId());
            // payment-service refunds when it sees our ReservationExpired
            case ALREADY_CANCELED -> LOG.infof("payment %s arrived after reservation %d was cancelled at its deadline",
                    data.paymentId(), reservation.getId());
        }
    }
}
