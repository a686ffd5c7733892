package io.concertticket.concert.domain;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeatMapAndHoldPolicyTest {

    @Test
    void aUniformMapNumbersSeatsFromOne() {
        SeatMap map = SeatMap.uniform(3, 500);

        assertThat(map.seatNumbers()).containsExactly(1, 2, 3);
        assertThat(map.prices()).containsExactly(500, 500, 500);
        assertThat(map.minPrice()).isEqualTo(500);
    }

    @Test
    void aListedMapKeepsItsPricesAndRange() {
        SeatMap map = SeatMap.of(List.of(new SeatMap.SeatSpec(10, 900), new SeatMap.SeatSpec(11, 300)));

        assertThat(map.size()).isEqualTo(2);
        assertThat(map.minPrice()).isEqualTo(300);
        assertThat(map.maxPrice()).isEqualTo(900);
    }

    @Test
    void badMapsAreRejectedWhole() {
        assertThatThrownBy(() -> SeatMap.uniform(0, 1)).isInstanceOf(InvalidSeatMapException.class);
        assertThatThrownBy(() -> SeatMap.uniform(SeatMap.MAX_SEATS + 1, 1)).isInstanceOf(InvalidSeatMapException.class);
        assertThatThrownBy(() -> SeatMap.uniform(5, -1)).isInstanceOf(InvalidSeatMapException.class);
        assertThatThrownBy(() -> SeatMap.of(List.of())).isInstanceOf(InvalidSeatMapException.class);
        assertThatThrownBy(() -> SeatMap.of(List.of(new SeatMap.SeatSpec(1, 1), new SeatMap.SeatSpec(1, 2))))
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> SeatMap.of(List.of(new SeatMap.SeatSpec(0, 1)))).isInstanceOf(InvalidSeatMapException.class);
    }

    @Test
    void theHoldLimitAllowsUpToItsNumberOfLiveHolds() {
        HoldPolicy policy = new HoldPolicy(4);

        policy.requireAnotherHoldAllowed(0);
        policy.requireAnotherHoldAllowed(3);
        assertThatThrownBy(() -> policy.requireAnotherHoldAllowed(4))
                .isInstanceOfSatisfying(HoldLimitReachedException.class, e -> assertThat(e.details()).containsEntry("limit", 4));
        assertThatThrownBy(() -> new HoldPolicy(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
