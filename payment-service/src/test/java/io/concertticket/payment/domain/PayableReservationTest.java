package io.concertticket.payment.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PayableReservationTest {

    private static final Instant NOW = Instant.parse("2030-01-01T10:00:00Z");
    private static final Duration MARGIN = Duration.ofSeconds(2);

    private static PayableReservation booked(Instant expiresAt) {
        return PayableReservation.held(42, "alice", 7L, 70L, 700L, 12, 5_000, NOW.minusSeconds(60), expiresAt, NOW);
    }

    @Test
    void theOwnerMayPayABookedReservationBeforeItsDeadline() {
        assertThat(booked(NOW.plusSeconds(60)).decidePayment("alice", NOW, MARGIN))
                .isEqualTo(PayableReservation.PaymentDecision.PAY);
    }

    @Test
    void someoneElsesReservationLooksUnknown() {
        assertThatThrownBy(() -> booked(NOW.plusSeconds(60)).decidePayment("mallory", NOW, MARGIN))
                .isInstanceOf(ReservationNotFoundException.class);
    }

    @Test
    void paymentsInsideTheSafetyMarginBeforeTheDeadlineAreRefused() {
        assertThatThrownBy(() -> booked(NOW.plusMillis(1_999)).decidePayment("alice", NOW, MARGIN))
                .isInstanceOf(PaymentDeadlinePassedException.class);
        assertThatThrownBy(() -> booked(NOW.plus(MARGIN)).decidePayment("alice", NOW, MARGIN))
                .isInstanceOf(PaymentDeadlinePassedException.class);
        assertThat(booked(NOW.plusMillis(2_001)).decidePayment("alice", NOW, MARGIN))
                .isEqualTo(PayableReservation.PaymentDecision.PAY);
    }

    @Test
    void aPaidReservationIsReportedAsAlreadyPaidEvenAfterItsDeadline() {
        PayableReservation r = booked(NOW.plusSeconds(60));
        r.markPaid(NOW);
        assertThat(r.decidePayment("alice", NOW.plusSeconds(3600), MARGIN))
                .isEqualTo(PayableReservation.PaymentDecision.ALREADY_PAID);
    }

    @Test
    void aCanceledReservationCannotBePaid() {
        PayableReservation r = booked(NOW.plusSeconds(60));
        r.expire(NOW);
        assertThatThrownBy(() -> r.decidePayment("alice", NOW, MARGIN)).isInstanceOf(ReservationCanceledException.class);
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
        assertThatThrownBy(() -> r.decidePayment("alice", NOW.minusSeconds(60), MARGIN))
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
