package io.concertticket.queue.domain;

/**
 * The admission rounds a sale actually ran in the recent past (the estimate window, and only since its
 * admission last changed state): what an honest wait is computed from, rather than the configured pace.
 *
 * @param firstRoundAt     ms of the earliest round in the window
 * @param lastRoundAt      ms of the latest round
 * @param rounds           rounds in the window
 * @param slotsAfterFirst  places offered by the rounds after the first (the first only starts the clock)
 * @param lastMovedAt      ms of the latest round that offered a place, or -1 when none did
 */
public record ObservedAdmission(long firstRoundAt, long lastRoundAt, int rounds, long slotsAfterFirst, long lastMovedAt) {

    /**
     * Places offered per second, or 0 when there is nothing to go by yet (fewer than two rounds). Exact for a
     * steady pace (rounds after the first over the time they took); once the next round is a whole tick overdue
     * (the latest more than two ticks old), the silence counts too, so a line that stopped moving gets a longer
     * estimate at every look. A round that is only late does not: it is taken up to an admission check after it
     * starts and seen here up to a refresh later, and a CPU-starved replica delays both, while its places still
     * come (counting that wait as silence told waiting users up to 10 % more on a loaded test machine).
     */
    public double placesPerSecond(long nowMs, long tickMs) {
        if (rounds < 2) {
            return 0;
        }
        long span = Math.max(lastRoundAt - firstRoundAt, nowMs - firstRoundAt - 2 * tickMs);
        return span <= 0 ? 0 : slotsAfterFirst * 1000.0 / span;
    }

    /** Seconds since the line last moved (since the first round in the window when no round offered a place). */
    public long stillSeconds(long nowMs) {
        long since = lastMovedAt >= 0 ? lastMovedAt : firstRoundAt;
        return Math.max(0, (nowMs - since) / 1000);
    }
}
