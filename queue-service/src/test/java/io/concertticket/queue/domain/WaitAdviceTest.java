package io.concertticket.queue.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class WaitAdviceTest {

    private static WaitAdvice at(long position) {
        return WaitAdvice.forPosition(position, 20, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    @Test
    void theFirstBatchWaitsOneTick() {
        assertThat(at(1).estimatedWaitSeconds()).isEqualTo(5);
        assertThat(at(20).estimatedWaitSeconds()).isEqualTo(5);
        assertThat(at(21).estimatedWaitSeconds()).isEqualTo(10);
        assertThat(at(1000).estimatedWaitSeconds()).isEqualTo(250);
    }

    @Test
    void pollingGetsSparserFurtherBackButStaysBounded() {
        assertThat(at(1).pollAfterSeconds()).isEqualTo(1);
        assertThat(at(100).pollAfterSeconds()).isEqualTo(6);
        assertThat(at(100_000).pollAfterSeconds()).isEqualTo(30);
        assertThat(at(400).pollAfterSeconds()).isGreaterThan(at(100).pollAfterSeconds());
    }

    @Test
    void subSecondTicksRoundTheWaitUp() {
        WaitAdvice a = WaitAdvice.forPosition(1, 20, Duration.ofMillis(300), Duration.ofSeconds(1), Duration.ofSeconds(30));
        assertThat(a.estimatedWaitSeconds()).isEqualTo(1);
        assertThat(a.pollAfterSeconds()).isEqualTo(1);
    }
}
