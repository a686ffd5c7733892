package io.concertticket.queue.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ObservedAdmissionTest {

    @Test
    void aSteadyPaceIsMeasuredExactlyWhereverWeAreInTheTick() {
        // 11 rounds of 20, one per 5 s: 200 places after the first round in 50 s
        ObservedAdmission seen = new ObservedAdmission(0, 50_000, 11, 200, 50_000);
        assertThat(seen.placesPerSecond(50_000, 5_000)).isCloseTo(4.0, within(1e-9));
        assertThat(seen.placesPerSecond(54_999, 5_000)).isCloseTo(4.0, within(1e-9));
    }

    @Test
    void aRoundThatIsLateButNotMissedIsNotASlowerLine() {
        // the round due at 55 s has not been seen yet, almost a tick after it started
        ObservedAdmission seen = new ObservedAdmission(0, 50_000, 11, 200, 50_000);
        assertThat(seen.placesPerSecond(59_999, 5_000)).isCloseTo(4.0, within(1e-9));
    }

    @Test
    void aLineThatStoppedMovingSlowsDownAtEveryLook() {
        ObservedAdmission seen = new ObservedAdmission(0, 50_000, 11, 200, 50_000);
        // the round due at 55 s is a whole tick overdue: from here on the silence counts
        assertThat(seen.placesPerSecond(60_000, 5_000)).isCloseTo(4.0, within(1e-9));
        assertThat(seen.placesPerSecond(61_000, 5_000)).isLessThan(4.0);
        assertThat(seen.placesPerSecond(110_000, 5_000)).isCloseTo(2.0, within(1e-9));
        assertThat(seen.stillSeconds(110_000)).isEqualTo(60);
    }

    @Test
    void oneRoundIsNothingToGoBy() {
        assertThat(new ObservedAdmission(0, 0, 1, 0, 0).placesPerSecond(1_000, 5_000)).isZero();
    }

    @Test
    void roundsThatOfferedNothingCountAsTimeWithoutPlaces() {
        // the active cap was full: rounds ran, none offered a place after the first
        ObservedAdmission capped = new ObservedAdmission(0, 30_000, 7, 0, 0);
        assertThat(capped.placesPerSecond(30_000, 5_000)).isZero();
        assertThat(capped.stillSeconds(30_000)).isEqualTo(30);
    }
}
