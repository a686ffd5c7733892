package io.concertticket.concert.domain;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReservationTest {

    static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
    static final Duration HOLD = Duration.ofMinutes(10);

    @Test
    void bookingHoldsTheSeatUntilTheDeadline() {
        Seat seat = seat(3, 50_000);

        Reservation r = Reservation.book("alice", schedule(), seat, NOW, HOLD);

        assertThat(r.getStatus()).isEqualTo(ReservationStatus.BOOKED);
        assertThat(r.getExpiresAt()).isEqualTo(NOW.plus(HOLD));
        assertThat(r.getPrice()).isEqualTo(50_000);
        assertThat(r.getSeatNumber()).isEqualTo(3);
        assertThat(r.getConcertId()).isEqualTo(7L);
        assertThat(seat.getStatus()).isEqualTo(SeatStatus.HELD);
        assertThat(seat.getUserId()).isEqualTo("alice");
        assertThat(seat.getHoldExpiresAt()).isEqualTo(NOW.plus(HOLD));
    }

    @Test
    void aHeldSeatCannotBeBookedAgain() {
        Seat seat = seat(3, 50_000);
        Reservation.book("alice", schedule(), seat, NOW, HOLD);

        assertThatThrownBy(() -> Reservation.book("bob", schedule(), seat, NOW, HOLD))
                .isInstanceOfSatisfying(SeatTakenException.class, e -> assertThat(e.details()).containsEntry("seatNumber", 3));
    }

    @Test
    void paymentIsAppliedOnceAndNeverRevivesACancelledReservation() {
        Reservation paid = Reservation.book("alice", schedule(), seat(1, 10), NOW, HOLD);
        assertThat(paid.markPaid(NOW.plusSeconds(5))).isEqualTo(Reservation.PaymentOutcome.APPLIED);
        assertThat(paid.markPaid(NOW.plusSeconds(6))).isEqualTo(Reservation.PaymentOutcome.ALREADY_PAID);
        assertThat(paid.getPaidAt()).isEqualTo(NOW.plusSeconds(5));

        Reservation closed = Reservation.book("bob", schedule(), seat(2, 10), NOW, HOLD);
        assertThat(closed.paymentWindowClosed(NOW.plus(HOLD))).isEqualTo(Reservation.WindowClosedOutcome.CANCELED);
        assertThat(closed.markPaid(NOW.plus(HOLD).plusSeconds(1))).isEqualTo(Reservation.PaymentOutcome.CONTRADICTS_CLOSED_WINDOW);
        assertThat(closed.getStatus()).isEqualTo(ReservationStatus.CANCELED);
    }

    @Test
    void theDeadlineAloneChangesNothingAHoldPastItIsOnlyExpiryPending() {
        Reservation r = Reservation.book("alice", schedule(), seat(1, 10), NOW, HOLD);
        assertThat(r.isExpiryPending(NOW.plus(HOLD).minusMillis(1))).isFalse();
        assertThat(r.isExpiryPending(NOW.plus(HOLD))).isTrue();
        assertThat(r.isExpiryPending(NOW.plus(HOLD).plusSeconds(3600))).isTrue();
        assertThat(r.getStatus()).isEqualTo(ReservationStatus.BOOKED);
    }

    @Test
    void aPaymentDecidedInTimeIsAppliedHoweverLateItArrives() {
        Reservation r = Reservation.book("alice", schedule(), seat(1, 10), NOW, HOLD);
        assertThat(r.markPaid(NOW.plus(HOLD).minusMillis(1))).isEqualTo(Reservation.PaymentOutcome.APPLIED);
        assertThat(r.getStatus()).isEqualTo(ReservationStatus.PAID);
        assertThat(r.isExpiryPending(NOW.plus(HOLD).plusSeconds(3600))).isFalse();
    }

    @Test
    void theClosedWindowCancelsOnlyABookedReservationAndNeverAPaidOne() {
        Reservation r = Reservation.book("alice", schedule(), seat(1, 10), NOW, HOLD);
        // payment-service's decision counts, even if this service's clock is a little behind
        assertThat(r.paymentWindowClosed(NOW.plus(HOLD).minusMillis(5))).isEqualTo(Reservation.WindowClosedOutcome.CANCELED);
        assertThat(r.getCanceledAt()).isEqualTo(NOW.plus(HOLD).minusMillis(5));
        assertThat(r.paymentWindowClosed(NOW.plus(HOLD))).isEqualTo(Reservation.WindowClosedOutcome.ALREADY_CANCELED);

        Reservation paid = Reservation.book("bob", schedule(), seat(2, 10), NOW, HOLD);
        paid.markPaid(NOW);
        assertThat(paid.paymentWindowClosed(NOW.plus(HOLD))).isEqualTo(Reservation.WindowClosedOutcome.CONTRADICTS_PAYMENT);
        assertThat(paid.getStatus()).isEqualTo(ReservationStatus.PAID);
        assertThat(paid.getCanceledAt()).isNull();
    }

    static ConcertSchedule schedule() {
        ConcertSchedule s = new ConcertSchedule(7, NOW.plus(Duration.ofDays(1)), NOW.minus(Duration.ofDays(1)), NOW);
        setId(s, 11L);
        return s;
    }

    static Seat seat(int number, long price) {
        Seat seat = new Seat(11L, number, price);
        setId(seat, 100L + number);
        return seat;
    }

    /** Ids are assigned by the database; unit tests set them the way Hibernate does. */
    static void setId(Object entity, Long id) {
        try {
            Field f = entity.getClass().getDeclaredField("id");
            f.setAccessible(true);
            f.set(entity, id);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
