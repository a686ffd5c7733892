package io.concertticket.payment.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PayableReservationTest {

    private static final Instant NOW = Instant.parse("2030-01-01T10:00:00Z");

    private static PayableReservation booked(Instant expiresAt) {
        return PayableReservation.held(42, "alice", 7L, 70L, 700L, 12, 5_000, NOW.minusSeconds(60), expiresAt, NOW);
    }

    @Test
    void theOwnerMayPayABookedReservationBeforeItsDeadline() {
        assertThat(booked(NOW.plusSeconds(60)).decidePayment("alice", NOW))
                .isEqualTo(PayableReservation.PaymentDecision.PAY);
    }

    @Test
    void someoneElsesReservationLooksUnknown() {
        assertThatThrownBy(() -> booked(NOW.plusSeconds(60)).decidePayment("mallory", NOW))
                .isInstanceOf(ReservationNotFoundException.class);
    }

    @Test
    void aPaymentIsDecidedStrictlyBeforeTheDeadlineWithNoMargin() {
        assertThat(booked(NOW.plusMillis(1)).decidePayment("alice", NOW))
                .isEqualTo(PayableReservation.PaymentDecision.PAY);
        assertThatThrownBy(() -> booked(NOW).decidePayment("alice", NOW))
                .isInstanceOf(PaymentDeadlinePassedException.class);
        assertThatThrownBy(() -> booked(NOW.minusMillis(1)).decidePayment("alice", NOW))
                .isInstanceOf(PaymentDeadlinePassedException.class);
    }

    @Test
    void theWindowClosesOnlyAtTheDeadlineOfAnUnpaidReservation() {
        PayableReservation open = booked(NOW.plusMillis(1));
        assertThat(open.closeWindow(NOW)).isEqualTo(PayableReservation.WindowOutcome.NOT_DUE);
        assertThat(open.status()).isEqualTo(PayableStatus.BOOKED);

        PayableReservation due = booked(NOW);
        assertThat(due.closeWindow(NOW)).isEqualTo(PayableReservation.WindowOutcome.CLOSED);
        assertThat(due.status()).isEqualTo(PayableStatus.CANCELED);
        assertThat(due.closeWindow(NOW.plusSeconds(1))).isEqualTo(PayableReservation.WindowOutcome.ALREADY_CLOSED);
    }

    @Test
    void aPaidReservationsWindowNeverClosesSoCompletedIsFinal() {
        PayableReservation r = booked(NOW.plusSeconds(1));
        r.markPaid(NOW);
        assertThat(r.closeWindow(NOW.plusSeconds(3600))).isEqualTo(PayableReservation.WindowOutcome.ALREADY_PAID);
        assertThat(r.status()).isEqualTo(PayableStatus.PAID);
    }

    @Test
    void afterTheWindowClosedNoPaymentGetsInNotEvenOneDatedBeforeTheDeadline() {
        // a payment that read its clock before the sweeper closed the window, and got the lock after it
        PayableReservation r = booked(NOW);
        r.closeWindow(NOW);
        assertThatThrownBy(() -> r.decidePayment("alice", NOW.minusSeconds(5)))
                .isInstanceOf(ReservationCanceledException.class);
        assertThatThrownBy(() -> r.markPaid(NOW)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void whicheverOfPaymentAndClosingComesFirstTheReservationEndsInExactlyOneOfTheTwo() {
        for (long offsetMillis = -3; offsetMillis <= 3; offsetMillis++) {
            Instant at = NOW.plusMillis(offsetMillis);
            // payment first, then the sweeper
            PayableReservation paidFirst = booked(NOW);
            boolean paid = payIfAllowed(paidFirst, at);
            PayableReservation.WindowOutcome closing = paidFirst.closeWindow(at);
            assertThat(paid).isEqualTo(at.isBefore(NOW));
            assertThat(closing).isEqualTo(paid ? PayableReservation.WindowOutcome.ALREADY_PAID
                    : PayableReservation.WindowOutcome.CLOSED);
            // the sweeper first, then the payment
            PayableReservation closedFirst = booked(NOW);
            PayableReservation.WindowOutcome first = closedFirst.closeWindow(at);
            boolean paidAfter = payIfAllowed(closedFirst, at);
            assertThat(first).isEqualTo(at.isBefore(NOW) ? PayableReservation.WindowOutcome.NOT_DUE
                    : PayableReservation.WindowOutcome.CLOSED);
            assertThat(paidAfter).isEqualTo(at.isBefore(NOW));
            assertThat(closedFirst.status()).isEqualTo(paidAfter ? PayableStatus.PAID : PayableStatus.CANCELED);
        }
    }

    private static boolean payIfAllowed(PayableReservation r, Instant now) {
        try {
            if (r.decidePayment("alice", now) == PayableReservation.PaymentDecision.PAY) {
                r.markPaid(now);
            }
            return true;
        } catch (PaymentDeadlinePassedException | ReservationCanceledException e) {
            return false;
        }
    }

    @Test
    void aPaidReservationIsReportedAsAlreadyPaidEvenAfterItsDeadline() {
        PayableReservation r = booked(NOW.plusSeconds(60));
        r.markPaid(NOW);
        assertThat(r.decidePayment("alice", NOW.plusSeconds(3600)))
                .isEqualTo(PayableReservation.PaymentDecision.ALREADY_PAID);
    }

    @Test
    void aCanceledReservationCannotBePaid() {
        PayableReservation r = booked(NOW.plusSeconds(60));
        r.expire(NOW);
        assertThatThrownBy(() -> r.decidePayment("alice", NOW)).isInstanceOf(ReservationCanceledException.class);
        assertThatThrownBy(() -> r.markPaid(NOW)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void expiryCancelsAndSaysWhetherARefundIsDue() {
        PayableReservation unpaid = booked(NOW.plusSeconds(60));
        assertThat(unpaid.expire(NOW)).isEqualTo(PayableReservation.ExpiryOutcome.CANCELED_UNPAID);
        assertThat(unpaid.status()).isEqualTo(PayableStatus.CANCELED);
        assertThat(unpaid.expire(NOW)).isEqualTo(PayableReservation.ExpiryOutcome.ALREADY_CANCELED);

        PayableReservation paid = booked(NOW.plusSeconds(60));
        paid.markPaid(NOW);
        assertThat(paid.expire(NOW)).isEqualTo(PayableReservation.ExpiryOutcome.CANCELED_REFUND_DUE);
        assertThat(paid.expire(NOW)).isEqualTo(PayableReservation.ExpiryOutcome.ALREADY_CANCELED);
    }

    @Test
    void aReservationExpiredBeforeItWasSeenIsNeverPayable() {
        PayableReservation r = PayableReservation.expiredUnseen(43, "alice", 7L, null, null, null, NOW, NOW);
        assertThat(r.status()).isEqualTo(PayableStatus.CANCELED);
        assertThatThrownBy(() -> r.decidePayment("alice", NOW.minusSeconds(60)))
                .isInstanceOf(ReservationCanceledException.class);
    }

    @Test
    void paymentAndHistoryCarryThePriceAndTheBalances() {
        PayableReservation r = booked(NOW.plusSeconds(60));
        Payment p = Payment.completed(r, java.util.UUID.randomUUID(), 1_000, NOW);
        assertThat(p.amount()).isEqualTo(5_000);
        assertThat(PointHistoryEntry.use(p, NOW).delta()).isEqualTo(-5_000);
        p.refund(NOW);
        assertThat(p.status()).isEqualTo(PaymentStatus.REFUNDED);
        assertThat(PointHistoryEntry.refund(p, 6_000, NOW).delta()).isEqualTo(5_000);
        assertThatThrownBy(() -> p.refund(NOW)).isInstanceOf(IllegalStateException.class);
    }
}
