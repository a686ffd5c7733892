package io.concertticket.concert.domain;

/** How many seats one user may hold at once in one schedule, so a few users cannot block a whole sale. */
public record HoldPolicy(int maxHoldsPerUserPerSchedule) {

    public HoldPolicy {
        if (maxHoldsPerUserPerSchedule < 1) {
            throw new IllegalArgumentException("the hold limit must be at least 1");
        }
    }

    /** @param liveHolds the user's unexpired BOOKED reservations in the schedule, counted under a lock */
    public void requireAnotherHoldAllowed(long liveHolds) {
        if (liveHolds >= maxHoldsPerUserPerSchedule) {
            throw new HoldLimitReachedException(maxHoldsPerUserPerSchedule);
        }
    }
}
