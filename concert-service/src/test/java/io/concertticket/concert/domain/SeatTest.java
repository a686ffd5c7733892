package io.concertticket.concert.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeatTest {

    static final Instant UNTIL = Instant.parse("2026-05-01T12:10:00Z");

    @Test
    void anExpiredHoldPutsTheSeatBackOnSale() {
        Seat seat = new Seat(1, 5, 100);
        seat.hold("alice", UNTIL);

        assertThat(seat.releaseHoldOf("alice")).isTrue();

        assertThat(seat.getStatus()).isEqualTo(SeatStatus.AVAILABLE);
        assertThat(seat.getUserId()).isNull();
        assertThat(seat.getHoldExpiresAt()).isNull();
        seat.hold("bob", UNTIL);
        assertThat(seat.getUserId()).isEqualTo("bob");
    }

    @Test
    void releasingSomeoneElsesHoldOrASoldSeatChangesNothing() {
        Seat seat = new Seat(1, 5, 100);
        seat.hold("alice", UNTIL);
        assertThat(seat.releaseHoldOf("bob")).isFalse();
        assertThat(seat.getUserId()).isEqualTo("alice");

        seat.sellTo("alice");
        assertThat(seat.releaseHoldOf("alice")).isFalse();
        assertThat(seat.getStatus()).isEqualTo(SeatStatus.DONE);
    }

    @Test
    void aSoldSeatIsNeverHeldAgain() {
        Seat seat = new Seat(1, 5, 100);
        seat.hold("alice", UNTIL);
        seat.sellTo("alice");
        seat.sellTo("alice"); // a redelivered payment is harmless

        assertThatThrownBy(() -> seat.hold("bob", UNTIL)).isInstanceOf(SeatTakenException.class);
        assertThatThrownBy(() -> seat.sellTo("bob")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void onlyTheHolderCanBuyAHeldSeat() {
        Seat available = new Seat(1, 5, 100);
        assertThatThrownBy(() -> available.sellTo("alice")).isInstanceOf(IllegalStateException.class);

        Seat held = new Seat(1, 6, 100);
        held.hold("alice", UNTIL);
        assertThatThrownBy(() -> held.sellTo("bob")).isInstanceOf(IllegalStateException.class);
    }
}
