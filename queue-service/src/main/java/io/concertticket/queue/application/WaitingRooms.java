package io.concertticket.queue.application;

import io.concertticket.queue.domain.DueRoom;

import java.time.Duration;
import java.util.List;

/**
 * The per-concert counters of the waiting line and their two locks: arrivals (registration's) and admission (how far
 * the line is served), so that an admission round never holds up registration; whatever changes the line as a whole
 * takes both, arrivals first. Every method runs in the caller's transaction.
 */
public interface WaitingRooms {

    /** The current admission round for {@code tick} on the database clock, which every replica shares. */
    long currentRound(Duration tick);

    /**
     * Rooms with people waiting, of sales that are open and admitting, whose current round (on the grid of the sale's
     * own tick, {@code defaultTick} without one) they have not taken yet.
     */
    List<DueRoom> roomsDueForAdmission(Duration defaultTick);

    /** Takes the room's admission lock for round {@code round} until commit; false when that round (or a later one) was taken. */
    boolean lockForRound(long concertId, long round);

    /** Records round {@code round} as taken, with the places it offered and admitted (for the observed rate). */
    void takeRound(long concertId, long round, int slots, int admitted, Duration keepRoundsFor);

    void markServed(long concertId, long servedUpTo);

    /** Takes both of the room's locks until commit, creating the (empty) room first if need be. */
    void lockOrCreate(long concertId);

    /** Takes both of the room's locks until commit; false when there is no such room. */
    boolean lock(long concertId);

    void countDropped(long concertId, int dropped);

    List<Long> roomsWithWaiting();
}
