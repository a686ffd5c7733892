package io.concertticket.payment.application;

import io.concertticket.events.OutboxPublisher;
import io.concertticket.payment.domain.InsufficientPointsException;
import io.concertticket.payment.domain.PayableReservation;
import io.concertticket.payment.domain.Payment;
import io.concertticket.payment.domain.PaymentStatus;
import io.concertticket.payment.domain.PointHistoryEntry;
import io.concertticket.payment.domain.ReservationNotFoundException;
import io.concertticket.payment.infrastructure.PayableReservationRepository;
import io.concertticket.payment.infrastructure.PaymentConfig;
import io.concertticket.payment.infrastructure.PaymentRepository;
import io.concertticket.payment.infrastructure.PointHistoryRepository;
import io.concertticket.payment.infrastructure.WalletRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Pays a BOOKED reservation with points. Two steps, on purpose not one transaction: first wait
 * (bounded) until the reservation's SeatHeld has been consumed, holding no connection while waiting,
 * so a client paying right after holding a seat succeeds; then one transaction that locks the
 * reservation, deducts the price atomically, and writes the USE row, the payment and PaymentCompleted.
 */
@ApplicationScoped
public class PayReservation {

    static final String OPERATION = "pay";

    private final PayableReservationRepository reservations;
    private final PaymentRepository payments;
    private final WalletRepository wallets;
    private final PointHistoryRepository history;
    private final OutboxPublisher outbox;
    private final IdempotencyGuard idempotency;
    private final PayableSignals signals;
    private final PaymentConfig config;

    PayReservation(PayableReservationRepository reservations, PaymentRepository payments, WalletRepository wallets,
                   PointHistoryRepository history, OutboxPublisher outbox, IdempotencyGuard idempotency,
                   PayableSignals signals, PaymentConfig config) {
        this.reservations = reservations;
        this.payments = payments;
        this.wallets = wallets;
        this.history = history;
        this.outbox = outbox;
        this.idempotency = idempotency;
        this.signals = signals;
        this.config = config;
    }

    public Idempotent<PaymentReceipt> pay(String payer, long reservationId, String idempotencyKey) {
        if (!awaitKnown(reservationId)) {
            throw new ReservationNotFoundException(reservationId);
        }
        return QuarkusTransaction.requiringNew().call(() ->
                idempotency.run(payer, OPERATION, idempotencyKey, "reservationId=" + reservationId, PaymentReceipt.class,
                        () -> payNow(payer, reservationId)));
    }

    private PaymentReceipt payNow(String payer, long reservationId) {
        Instant now = Instant.now();
        PayableReservation reservation = reservations.lock(reservationId)
                .orElseThrow(() -> new ReservationNotFoundException(reservationId));
        if (reservation.decidePayment(payer, now, config.deadlineSafetyMargin()) == PayableReservation.PaymentDecision.ALREADY_PAID) {
            Payment existing = payments.findByReservation(reservationId)
                    .orElseThrow(() -> new IllegalStateException("reservation " + reservationId + " PAID without payment"));
            return receipt(existing);
        }
        long balance = wallets.deduct(payer, reservation.price())
                .orElseThrow(() -> new InsufficientPointsException(reservation.price(), wallets.balanceOf(payer)));
        Payment payment = Payment.completed(reservation, balance, now);
        payments.persist(payment);
        history.persist(PointHistoryEntry.use(payment, now));
        reservation.markPaid(now);
        outbox.publish(config.topics().paymentEvents(), Long.toString(reservationId), PaymentEvents.PAYMENT_COMPLETED,
                PaymentEvents.subject(reservationId), PaymentEvents.VERSION,
                new PaymentEvents.PaymentCompleted(payment.id(), reservationId, payment.userId(), payment.concertId(),
                        payment.amount(), payment.paidAt()));
        return receipt(payment);
    }

    private static PaymentReceipt receipt(Payment p) {
        return new PaymentReceipt(p.id(), p.reservationId(), p.amount(), p.balanceAfter(), PaymentStatus.COMPLETED.name());
    }

    /** Waits until the reservation is in the database or the configured wait is over. */
    boolean awaitKnown(long reservationId) {
        long deadline = System.nanoTime() + config.seatHeldWait().toNanos();
        long recheck = config.seatHeldRecheck().toNanos();
        while (true) {
            if (known(reservationId)) {
                return true;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            // register first, then re-check: a signal between the two cannot be missed
            CompletableFuture<Void> signal = signals.awaitKnown(reservationId);
            if (known(reservationId)) {
                signals.giveUp(reservationId, signal);
                return true;
            }
            try {
                signal.get(Math.min(remaining, recheck), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                signals.giveUp(reservationId, signal);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private boolean known(long reservationId) {
        // a short transaction of its own: the connection goes back to the pool before any waiting
        return QuarkusTransaction.requiringNew().call(() -> reservations.exists(reservationId));
    }
}
