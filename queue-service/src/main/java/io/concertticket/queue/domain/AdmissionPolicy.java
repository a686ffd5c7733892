package io.concertticket.queue.domain;

/**
 * How many waiting tokens a room may activate on one tick: a batch, unless the optional cap on
 * concurrently active users leaves fewer free slots.
 *
 * @param batchSize           tokens per tick (20 by default)
 * @param maxActivePerConcert cap on concurrently ACTIVE tokens of one concert; 0 means no cap
 */
public record AdmissionPolicy(int batchSize, int maxActivePerConcert) {

    public AdmissionPolicy {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1");
        }
        if (maxActivePerConcert < 0) {
            throw new IllegalArgumentException("the active cap cannot be negative (0 = no cap)");
        }
    }

    public boolean isCapped() {
        return maxActivePerConcert > 0;
    }

    /** @param activeNow tokens of the concert ACTIVE right now (ignored without a cap) */
    public int slots(long activeNow) {
        if (!isCapped()) {
            return batchSize;
        }
        long free = maxActivePerConcert - activeNow;
        return (int) Math.max(0, Math.min(batchSize, free));
    }
}
