package io.concertticket.payment.application;

import io.concertticket.events.OutboxPublisher;
import io.concertticket.events.contract.PaymentEvents.PaymentWindowClosed;
import io.concertticket.payment.domain.PayableReservation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;

/**
 * The other half of the one decision between paid and expired: closes the payment window of BOOKED
 * reservations past their deadline (CANCELED here, under the row lock a payment takes too) and announces
 * it with {@code PaymentWindowClosed} in the same transaction. Only then does concert-service put the seat
 * back on sale. Rows being paid right now are skipped (SKIP LOCKED) and are PAID when the next sweep looks;
 * several replicas share the work the same way.
 */
@ApplicationScoped
public class ClosePaymentWindows {

    private final PayableReservations reservations;
    private final OutboxPublisher outbox;
    private final Counter closed;

    ClosePaymentWindows(PayableReservations reservations, OutboxPublisher outbox, MeterRegistry meters) {
        this.reservations = reservations;
        this.outbox = outbox;
        this.closed = meters.counter("payment.windows.closed");
    }

    /** @return how many due reservations this batch looked at (a full batch means: call again) */
    @Transactional
    public int closeDueBatch(int batchSize) {
        Instant now = Instant.now();
        List<PayableReservation> due = reservations.lockDueForClosing(now, batchSize);
        for (PayableReservation reservation : due) {
            closeIfDue(reservation, now);
        }
        return due.size();
    }

    /** Closes {@code reservation} (locked by the caller's transaction) if its deadline has passed unpaid. */
    void closeIfDue(PayableReservation reservation, Instant now) {
        if (reservation.closeWindow(now) != PayableReservation.WindowOutcome.CLOSED) {
            return;
        }
        long id = reservation.reservationId();
        outbox.publish(new PaymentWindowClosed(id, reservation.userId(), reservation.concertId(),
                        reservation.scheduleId(), reservation.seatId(), reservation.seatNumber(),
                        reservation.expiresAt(), now));
        closed.increment();
    }
}
