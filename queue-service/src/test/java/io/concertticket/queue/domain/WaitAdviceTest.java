package io.concertticket.queue.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class WaitAdviceTest {

    private static final Duration TICK = Duration.ofSeconds(5);

    /** 20 every 5 s configured, observed at {@code perSecond}, the line last moved {@code still} seconds ago. */
    private static WaitAdvice at(long position, double perSecond, long still) {
        return WaitAdvice.forPosition(position, 20, TICK, perSecond, still, Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    @Test
    void theWaitComesFromTheObservedRateNotTheConfiguredOne() {
        // admission achieved the configured 4 places per second
        assertThat(at(1, 4, 0).estimatedWaitSeconds()).isEqualTo(1);
        assertThat(at(1000, 4, 0).estimatedWaitSeconds()).isEqualTo(250);
        // an active cap lets only 0.5 per second through: eight times as long, whatever is configured
        assertThat(at(1000, 0.5, 0).estimatedWaitSeconds()).isEqualTo(2000);
        assertThat(at(1000, 0.5, 0).waitTimeKnown()).isTrue();
    }

    @Test
    void nothingObservedOrAdmissionHeldMeansTheWaitIsUnknown() {
        WaitAdvice held = at(100, 0, 0);
        assertThat(held.waitTimeKnown()).isFalse();
        assertThat(held.estimatedWaitSeconds()).isNull();
        assertThat(held.pollAfterSeconds()).isPositive();
    }

    @Test
    void pollingGetsSparserFurtherBackButStaysBounded() {
        assertThat(at(1, 4, 0).pollAfterSeconds()).isEqualTo(1);
        assertThat(at(100, 4, 0).pollAfterSeconds()).isEqualTo(6);
        assertThat(at(100_000, 4, 0).pollAfterSeconds()).isEqualTo(30);
        assertThat(at(400, 4, 0).pollAfterSeconds()).isGreaterThan(at(100, 4, 0).pollAfterSeconds());
        // a slower line than configured: sparser polling for the same place
        assertThat(at(100, 1, 0).pollAfterSeconds()).isGreaterThan(at(100, 4, 0).pollAfterSeconds());
    }

    @Test
    void pollingGetsSparserTheLongerTheLineStandsStill() {
        assertThat(at(1, 0, 0).pollAfterSeconds()).isEqualTo(1);
        assertThat(at(1, 0, 10).pollAfterSeconds()).isEqualTo(5);
        assertThat(at(1, 0, 40).pollAfterSeconds()).isEqualTo(20);
        assertThat(at(1, 0, 3600).pollAfterSeconds()).isEqualTo(30);
        // unknown wait far back: never more often than a quarter of the wait at the fastest configured pace
        assertThat(at(2000, 0, 0).pollAfterSeconds()).isEqualTo(30);
        assertThat(at(200, 0, 0).pollAfterSeconds()).isEqualTo(12);
    }

    @Test
    void subSecondTicksRoundTheWaitUp() {
        WaitAdvice a = WaitAdvice.forPosition(1, 20, Duration.ofMillis(300), 66.7, 0, Duration.ofSeconds(1), Duration.ofSeconds(30));
        assertThat(a.estimatedWaitSeconds()).isEqualTo(1);
        assertThat(a.pollAfterSeconds()).isEqualTo(1);
    }
}
