package io.concertticket.queue.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WaitingLineTest {

    @Test
    void positionIsArrivalMinusServedWhenNobodyDropped() {
        WaitingLine line = new WaitingLine(1, 1000, 40, null, 0);

        assertThat(line.positionOf(41)).isEqualTo(1);
        assertThat(line.positionOf(1000)).isEqualTo(960);
        assertThat(line.waiting()).isEqualTo(960);
    }

    @Test
    void droppedArrivalsAheadNoLongerCount() {
        WaitingLine line = new WaitingLine(1, 10, 2, new long[]{4, 7}, 2);

        assertThat(line.positionOf(3)).isEqualTo(1);
        assertThat(line.positionOf(5)).isEqualTo(2);
        assertThat(line.positionOf(8)).isEqualTo(4);
        assertThat(line.positionOf(10)).isEqualTo(6);
        assertThat(line.waiting()).isEqualTo(6);
        assertThat(line.hasLeft(4)).isTrue();
        assertThat(line.hasLeft(5)).isFalse();
    }

    @Test
    void dropsBehindTheServedCounterAreIgnored() {
        WaitingLine line = new WaitingLine(1, 10, 5, new long[]{2, 4, 8}, 3);

        assertThat(line.positionOf(6)).isEqualTo(1);
        assertThat(line.positionOf(9)).isEqualTo(3);
        assertThat(line.waiting()).isEqualTo(4);
    }

    @Test
    void aServedArrivalHasNoPosition() {
        WaitingLine line = new WaitingLine(1, 10, 5, null, 0);

        assertThat(line.hasLeft(5)).isTrue();
        assertThatThrownBy(() -> line.positionOf(5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void combiningTwoViewsKeepsTheNewestOfEachFact() {
        WaitingLine older = new WaitingLine(1, 50, 20, new long[]{30}, 1);
        WaitingLine newer = new WaitingLine(1, 60, 40, new long[]{45, 50}, 3);

        WaitingLine merged = older.newest(newer);
        assertThat(merged.lastSeq()).isEqualTo(60);
        assertThat(merged.servedUpTo()).isEqualTo(40);
        assertThat(merged.droppedSeqs()).containsExactly(45, 50);
        assertThat(newer.newest(older)).usingRecursiveComparison().isEqualTo(merged);
    }
}
