package io.concertticket.payment.application;

import io.concertticket.events.OutboxPublisher;
import io.concertticket.events.contract.PaymentEvents.PaymentRefunded;
import io.concertticket.events.contract.ReservationEvents.ReservationExpired;
import io.concertticket.payment.domain.PayableReservation;
import io.concertticket.payment.domain.Payment;
import io.concertticket.payment.domain.PointHistoryEntry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.Optional;

/**
 * ReservationExpired: concert-service released the seat. Since payment-service decides paid versus expired
 * ({@link ClosePaymentWindows}), concert-service releases a seat only after our PaymentWindowClosed, so the
 * reservation is already CANCELED here and nothing changes. The other branches stay for events of a
 * concert-service of the previous version (which expired holds on its own clock) still in flight during a
 * rolling upgrade: an unseen reservation is remembered as cancelled, and a paid one is cancelled and refunded
 * (points back, REFUND row, payment REFUNDED, PaymentRefunded) in the same transaction, under the row lock.
 */
@ApplicationScoped
public class ExpireReservation {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ExpireReservation.class);

    private final PayableReservations reservations;
    private final Payments payments;
    private final Wallets wallets;
    private final PointHistory history;
    private final OutboxPublisher outbox;

    ExpireReservation(PayableReservations reservations, Payments payments,
                      Wallets wallets, PointHistory history, OutboxPublisher outbox) {
        this.reservations = reservations;
        this.payments = payments;
        this.wallets = wallets;
        this.history = history;
        this.outbox = outbox;
    }

    @Transactional
    public void apply(ReservationExpired e) {
        Instant now = Instant.now();
        Optional<PayableReservation> known = reservations.lock(e.reservationId());
        if (known.isEmpty()) {
            // expired before its SeatHeld reached us: remember it as cancelled so it can never be paid
            reservations.add(PayableReservation.expiredUnseen(e.reservationId(), e.userId(), e.concertId(),
                    e.scheduleId(), e.seatId(), e.seatNumber(), e.expiredAt() != null ? e.expiredAt() : now, now));
            return;
        }
        PayableReservation reservation = known.get();
        if (reservation.expire(now) != PayableReservation.ExpiryOutcome.CANCELED_REFUND_DUE) {
            return;
        }
        LOG.warnf("reservation %d was paid but concert-service released its seat (a concert-service of the previous "
                + "version expiring on its own clock?): refunding", e.reservationId());
        Payment payment = payments.findByReservation(e.reservationId())
                .orElseThrow(() -> new IllegalStateException("reservation " + e.reservationId() + " PAID without payment"));
        payment.refund(now);
        long balance = wallets.refund(payment.userId(), payment.amount());
        history.add(PointHistoryEntry.refund(payment, balance, now));
        outbox.publish(new PaymentRefunded(payment.id(), payment.reservationId(), payment.userId(),
                        payment.concertId(), payment.amount(), now));
    }
}
