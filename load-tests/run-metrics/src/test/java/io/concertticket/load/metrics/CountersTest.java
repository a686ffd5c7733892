package io.concertticket.load.metrics;

import io.concertticket.load.metrics.Counters.Point;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CountersTest {

    @Test
    void aRateIsTheIncreaseBetweenTheFirstAndTheLastSamplePerSecond() {
        List<Point> points = List.of(new Point(0, 100), new Point(1_000, 130), new Point(2_000, 130), new Point(4_000, 220));
        assertThat(Counters.increase(points)).isEqualTo(120);
        assertThat(Counters.rate(points)).isEqualTo(30);
    }

    @Test
    void aDropIsARestartFromZero() {
        // 100 -> 130 (+30), restart, 20 (+20 counted since the restart), 50 (+30): 80 in 3 s
        List<Point> points = List.of(new Point(0, 100), new Point(1_000, 130), new Point(2_000, 20), new Point(3_000, 50));
        assertThat(Counters.increase(points)).isEqualTo(80);
        assertThat(Counters.rate(points)).isCloseTo(80 / 3.0, within(1e-9));
    }

    @Test
    void oneSampleHasNoRate() {
        assertThat(Counters.rate(List.of(new Point(0, 5)))).isNaN();
        assertThat(Counters.rate(List.of())).isNaN();
    }
}
