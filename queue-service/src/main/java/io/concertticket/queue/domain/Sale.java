package io.concertticket.queue.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * A concert's sale as queue-service knows it: the window concert-service announced (revision
 * {@code revision}) and what happened here: the opening (with the shuffle's seed and how many it
 * shuffled) and an operator's close.
 *
 * @param closesAt      null: no closing time
 * @param closedAt      when an operator closed it (final), or null
 * @param openedAt      when the opening was done (on the database clock), or null before
 * @param shuffleSeed   the seed of the pre-queue's shuffle (hex), published once opened; null without a pre-queue
 * @param preQueueShuffled how many pre-queue tokens the opening shuffled (0 without a pre-queue)
 */
public record Sale(long concertId, String title, Instant opensAt, Instant closesAt, boolean preQueueEnabled, Duration preQueueLead,
                   long revision, Instant closedAt, Instant openedAt, String shuffleSeed, long preQueueShuffled) {

    /** When the pre-queue starts, or null without one. */
    public Instant preQueueOpensAt() {
        return preQueueEnabled ? opensAt.minus(preQueueLead) : null;
    }

    public SaleState stateAt(Instant now) {
        if (endedAt(now)) {
            return SaleState.CLOSED;
        }
        if (openedAt != null || !now.isBefore(opensAt)) {
            return SaleState.OPEN;
        }
        if (preQueueEnabled && !now.isBefore(preQueueOpensAt())) {
            return SaleState.PRE_QUEUE;
        }
        return SaleState.ANNOUNCED;
    }

    public boolean endedAt(Instant now) {
        return closedAt != null || (closesAt != null && !now.isBefore(closesAt));
    }

    /** The registration rule: refused (409) unless the pre-queue runs or the sale is open. */
    public void requireRegistrableAt(Instant now) {
        SaleState state = stateAt(now);
        if (!state.registrable()) {
            throw new SaleNotOpenException(this, state);
        }
    }
}
