package io.concertticket.queue.domain;

import java.util.Arrays;

/**
 * A waiting room's line as three facts: the latest arrival number, the number up to which everyone
 * has been served, and the arrival numbers dropped (abandoned) in between. A position is then
 * arithmetic plus a binary search: it costs the same with 10 or 100,000 people waiting.
 *
 * @param lastSeq    arrival number of the latest registration
 * @param servedUpTo every token with {@code seq <= servedUpTo} has left the line
 * @param droppedSeqs sorted arrival numbers above {@code servedUpTo} that left the line without being served
 * @param droppedVersion how many tokens this room has ever dropped (tells a cache when {@code droppedSeqs} is stale)
 */
public record WaitingLine(long concertId, long lastSeq, long servedUpTo, long[] droppedSeqs, long droppedVersion) {

    private static final long[] NONE = new long[0];

    public WaitingLine {
        droppedSeqs = droppedSeqs == null ? NONE : droppedSeqs;
    }

    public static WaitingLine empty(long concertId) {
        return new WaitingLine(concertId, 0, 0, NONE, 0);
    }

    /**
     * Whether the token with this arrival number has (per this view) left the line. A pre-queue token's
     * provisional number (negative) is not in the line yet, so it has not left it either.
     */
    public boolean hasLeft(long seq) {
        return seq > 0 && (seq <= servedUpTo || Arrays.binarySearch(droppedSeqs, seq) >= 0);
    }

    /** 1-based position among those still waiting; only meaningful for a token that has not left. */
    public long positionOf(long seq) {
        if (seq <= servedUpTo) {
            throw new IllegalArgumentException("arrival " + seq + " has already been served");
        }
        return seq - servedUpTo - droppedBetween(servedUpTo, seq);
    }

    /** How many are waiting in this room. */
    public long waiting() {
        return Math.max(0, lastSeq - servedUpTo - droppedBetween(servedUpTo, lastSeq + 1));
    }

    /** Dropped arrival numbers strictly between {@code low} and {@code high}. */
    private long droppedBetween(long low, long high) {
        return Math.max(0, insertionPoint(high) - insertionPoint(low + 1));
    }

    /** Index of the first dropped arrival number {@code >= seq}. */
    private int insertionPoint(long seq) {
        int i = Arrays.binarySearch(droppedSeqs, seq);
        return i >= 0 ? i : -i - 1;
    }

    /**
     * Combines two views of the same room taken at different times; every counter only grows, so
     * the larger one is the newer fact. Dropped arrival numbers are kept from the view that knows of
     * more drops (numbers at or below the served counter no longer matter either way).
     */
    public WaitingLine newest(WaitingLine other) {
        if (other == null) {
            return this;
        }
        long[] dropped = other.droppedVersion > droppedVersion ? other.droppedSeqs : droppedSeqs;
        long version = Math.max(droppedVersion, other.droppedVersion);
        return new WaitingLine(concertId, Math.max(lastSeq, other.lastSeq), Math.max(servedUpTo, other.servedUpTo), dropped, version);
    }
}
