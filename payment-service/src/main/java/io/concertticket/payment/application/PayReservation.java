package io.concertticket.payment.application;

import io.concertticket.events.OutboxPublisher;
import io.concertticket.events.contract.PaymentEvents.PaymentCompleted;
import io.concertticket.identity.Caller;
import io.concertticket.identity.HopToken;
import io.concertticket.payment.domain.InsufficientPointsException;
import io.concertticket.payment.domain.PayableReservation;
import io.concertticket.payment.domain.Payment;
import io.concertticket.payment.domain.PaymentStatus;
import io.concertticket.payment.domain.PointHistoryEntry;
import io.concertticket.payment.domain.ReservationNotFoundException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Pays a BOOKED reservation with points. Two steps, on purpose not one transaction: first wait
 * (bounded) until the reservation's SeatHeld has been consumed, holding no connection while waiting,
 * so a client paying right after holding a seat succeeds; then one transaction that locks the
 * reservation, checks owner and admission, deducts the price atomically, and writes the USE row, the
 * payment and PaymentCompleted (naming the admission that paid). The row lock makes this the one decision
 * between paid and expired ({@link ClosePaymentWindows} takes the same lock): COMPLETED is final.
 */
@ApplicationScoped
public class PayReservation {

    static final String OPERATION = "pay";

    private final PayableReservations reservations;
    private final Payments payments;
    private final Wallets wallets;
    private final PointHistory history;
    private final OutboxPublisher outbox;
    private final IdempotencyGuard idempotency;
    private final PayableSignals signals;
    private final UseCaseSettings config;

    PayReservation(PayableReservations reservations, Payments payments, Wallets wallets,
                   PointHistory history, OutboxPublisher outbox, IdempotencyGuard idempotency,
                   PayableSignals signals, UseCaseSettings config) {
        this.reservations = reservations;
        this.payments = payments;
        this.wallets = wallets;
        this.history = history;
        this.outbox = outbox;
        this.idempotency = idempotency;
        this.signals = signals;
        this.config = config;
    }

    /**
     * Pays for {@code payer}, who must own the reservation (404 otherwise, as if unknown) and be admitted to
     * its concert (403). A reservation still unknown after the bounded wait is a 503: its SeatHeld may be late.
     */
    public Idempotent<PaymentReceipt> pay(Caller payer, long reservationId, String idempotencyKey) {
        if (!payer.hasAdmission()) {
            // refused at once: no admission can be right, whatever the reservation turns out to be
            throw new Caller.AdmissionRequiredException("Paying needs an admission token (header "
                    + HopToken.ADMISSION_HEADER + ") from the waiting room of the reservation's concert.");
        }
        if (!awaitKnown(reservationId)) {
            throw new ReservationNotYetKnownException(reservationId);
        }
        return QuarkusTransaction.requiringNew().call(() ->
                idempotency.run(payer.accountId(), OPERATION, idempotencyKey, "reservationId=" + reservationId,
                        PaymentReceipt.class, () -> payNow(payer, reservationId)));
    }

    private PaymentReceipt payNow(Caller payer, long reservationId) {
        PayableReservation reservation = reservations.lock(reservationId)
                .orElseThrow(() -> new ReservationNotFoundException(reservationId));
        // the time is read once the lock is ours: the window sweeper decides under the same lock, so
        // whichever of the two holds it decides, and a payment decided in time is final
        Instant now = Instant.now();
        PayableReservation.PaymentDecision decision = reservation.decidePayment(payer.accountId(), now);
        // after the owner check (someone else's reservation stays a 404 that reveals nothing), before any
        // change: an admission to another concert pays nothing. held() requires the concert, so a row
        // without one predates the rule (V2) and fails here rather than being paid unchecked.
        payer.requireAdmissionTo(Objects.requireNonNull(reservation.concertId(), "concert of reservation " + reservationId));
        if (decision == PayableReservation.PaymentDecision.ALREADY_PAID) {
            Payment existing = payments.findByReservation(reservationId)
                    .orElseThrow(() -> new IllegalStateException("reservation " + reservationId + " PAID without payment"));
            return receipt(existing);
        }
        long balance = wallets.deduct(payer.accountId(), reservation.price())
                .orElseThrow(() -> new InsufficientPointsException(reservation.price(), wallets.balanceOf(payer.accountId())));
        Payment payment = Payment.completed(reservation, payer.admissionId(), balance, now);
        payments.add(payment);
        history.add(PointHistoryEntry.use(payment, now));
        reservation.markPaid(now);
        outbox.publish(new PaymentCompleted(payment.id(), reservationId, payment.userId(), payment.concertId(),
                        payment.admissionTokenId(), payment.amount(), payment.paidAt()));
        return receipt(payment);
    }

    private static PaymentReceipt receipt(Payment p) {
        return new PaymentReceipt(p.id(), p.reservationId(), p.amount(), p.balanceAfter(), PaymentStatus.COMPLETED.name());
    }

    /**
     * Waits until the reservation is in the database or the configured wait is over. The wait parks on a
     * {@link PayableSignals} future, completed by this replica's SeatHeld consumer or by the periodic
     * database re-check for all waiters ({@code SeatHeldRecheck}: another replica may consume it), so a
     * waiting request costs no connection, no query of its own and, on a virtual thread, no platform thread.
     */
    boolean awaitKnown(long reservationId) {
        if (known(reservationId)) {
            return true;
        }
        long waitNanos = config.seatHeldWait().toNanos();
        CompletableFuture<Void> signal = signals.awaitKnown(reservationId, System.nanoTime() + waitNanos);
        // registered first, then re-checked: a SeatHeld committed in between cannot be missed
        if (known(reservationId)) {
            signals.known(reservationId);
            return true;
        }
        try {
            signal.get(waitNanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean known(long reservationId) {
        // a short transaction of its own: the connection goes back to the pool before any waiting
        return QuarkusTransaction.requiringNew().call(() -> reservations.exists(reservationId));
    }
}
