package io.concertticket.queue.domain;

import java.time.Duration;

/**
 * What a waiting client is told: how long until its turn, if that can honestly be said, and when to ask
 * again. The wait comes from the rate admission has actually achieved for the sale (places offered per
 * second), never from the configured pace, which an active cap or a pause can make far too short; it is
 * unknown ({@code estimatedWaitSeconds} null) while nothing has been observed or admission is held.
 *
 * <p>Polling gets sparser the longer the expected wait and the longer the line has not moved, so a crowd
 * of 100,000 in a long or stalled line does not hammer the service; never sparser than {@code maxPollAfter},
 * which must stay well below the abandon timeout. The configured pace is the fastest the line can move,
 * so a quarter of the wait at that pace is always a safe interval, whatever is known.
 */
public record WaitAdvice(Long estimatedWaitSeconds, long pollAfterSeconds) {

    public boolean waitTimeKnown() {
        return estimatedWaitSeconds != null;
    }

    /**
     * @param position          1-based position in the line
     * @param batchSize         the sale's batch size per tick (its fastest pace, with {@code tick})
     * @param tick              the sale's time between admissions
     * @param placesPerSecond   the observed rate; 0 when unknown or admission is held (paused, stopped)
     * @param stillSeconds      how long the line has not moved
     */
    public static WaitAdvice forPosition(long position, int batchSize, Duration tick, double placesPerSecond, long stillSeconds,
                                         Duration minPollAfter, Duration maxPollAfter) {
        if (position < 1 || batchSize < 1) {
            throw new IllegalArgumentException("position and batch size must be positive");
        }
        long ticksToWait = (position + batchSize - 1) / batchSize;
        long fastestWait = (Math.multiplyExact(ticksToWait, tick.toMillis()) + 999) / 1000;
        Long estimate = placesPerSecond > 0 ? (long) Math.ceil(position / placesPerSecond) : null;
        // a quarter of the expected wait (at least four looks on the way to the front), half the time the line has stood still
        long interval = Math.max(Math.max(fastestWait, estimate == null ? 0 : estimate) / 4, stillSeconds / 2);
        long pollAfter = Math.max(minPollAfter.toSeconds(), Math.min(maxPollAfter.toSeconds(), interval));
        return new WaitAdvice(estimate, Math.max(1, pollAfter));
    }
}
