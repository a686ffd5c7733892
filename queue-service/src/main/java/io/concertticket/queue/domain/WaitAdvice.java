package io.concertticket.queue.domain;

import java.time.Duration;

/**
 * What a waiting client is told: roughly how long until its turn, and when to ask again. Polling
 * gets sparser the further back one stands, so a crowd of 100,000 does not hammer the service, but
 * never sparser than {@code maxPollAfter}, which must stay well below the abandon timeout.
 */
public record WaitAdvice(long estimatedWaitSeconds, long pollAfterSeconds) {

    /**
     * @param position  1-based position in the line
     * @param batchSize tokens admitted per tick
     * @param tick      time between admissions
     */
    public static WaitAdvice forPosition(long position, int batchSize, Duration tick, Duration minPollAfter, Duration maxPollAfter) {
        if (position < 1 || batchSize < 1) {
            throw new IllegalArgumentException("position and batch size must be positive");
        }
        long ticksToWait = (position + batchSize - 1) / batchSize;
        long waitMillis = Math.multiplyExact(ticksToWait, tick.toMillis());
        long estimatedWait = (waitMillis + 999) / 1000;
        // a quarter of the expected wait: at least four looks on the way to the front
        long pollAfter = Math.max(minPollAfter.toSeconds(), Math.min(maxPollAfter.toSeconds(), estimatedWait / 4));
        return new WaitAdvice(estimatedWait, Math.max(1, pollAfter));
    }
}
