package io.concertticket.concert.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConcertScheduleTest {

    static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");

    @Test
    void isReservableFromItsReservableDateUntilThePerformance() {
        Instant performance = NOW.plus(Duration.ofDays(1));
        ConcertSchedule s = new ConcertSchedule(1, performance, NOW, NOW);

        assertThatCode(() -> s.requireReservableAt(NOW)).doesNotThrowAnyException();
        assertThatCode(() -> s.requireReservableAt(performance.minusMillis(1))).doesNotThrowAnyException();
        assertThatThrownBy(() -> s.requireReservableAt(NOW.minusMillis(1)))
                .isInstanceOfSatisfying(ScheduleNotReservableException.class,
                        e -> assertThat(e.reason()).isEqualTo(ScheduleNotReservableException.Reason.NOT_YET_OPEN));
        assertThatThrownBy(() -> s.requireReservableAt(performance))
                .isInstanceOfSatisfying(ScheduleNotReservableException.class,
                        e -> assertThat(e.reason()).isEqualTo(ScheduleNotReservableException.Reason.PAST));
    }

    @Test
    void beforeItsReservableDateItSaysWhenItOpens() {
        ConcertSchedule s = new ConcertSchedule(1, NOW.plus(Duration.ofDays(3)), NOW.plus(Duration.ofDays(1)), NOW);

        assertThatThrownBy(() -> s.requireReservableAt(NOW))
                .isInstanceOfSatisfying(ScheduleNotReservableException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ScheduleNotReservableException.Reason.NOT_YET_OPEN);
                    assertThat(e.details()).containsEntry("opensAt", NOW.plus(Duration.ofDays(1)).toString());
                });
    }

    @Test
    void afterThePerformanceItIsPast() {
        ConcertSchedule s = new ConcertSchedule(1, NOW, NOW.minus(Duration.ofDays(1)), NOW);

        assertThatThrownBy(() -> s.requireReservableAt(NOW))
                .isInstanceOfSatisfying(ScheduleNotReservableException.class,
                        e -> assertThat(e.reason()).isEqualTo(ScheduleNotReservableException.Reason.PAST));
    }

    @Test
    void opensBeforeItIsPerformed() {
        assertThatThrownBy(() -> new ConcertSchedule(1, NOW, NOW, NOW)).isInstanceOf(InvalidScheduleException.class);
    }

    @Test
    void itsSeatMapIsCreatedOnce() {
        ConcertSchedule s = new ConcertSchedule(7, NOW.plus(Duration.ofDays(1)), NOW, NOW);

        s.seatMapCreated(50, 10, 20);

        assertThat(s.getMaxSeatCount()).isEqualTo(50);
        assertThatThrownBy(() -> s.seatMapCreated(60, 10, 20)).isInstanceOf(SeatMapAlreadyExistsException.class);
    }
}
