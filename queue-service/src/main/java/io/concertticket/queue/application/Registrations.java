package io.concertticket.queue.application;

import java.util.UUID;

/**
 * Writes registrations, each in a transaction of its own making (registrations arriving together are written
 * together), under the room's arrivals lock and the sale's rules on the database clock.
 */
public interface Registrations {

    /**
     * @param token      the user's token: the new one, or the live one they already had
     * @param created    whether this registration created it
     * @param seq        the token's arrival number (0 when not created)
     * @param lastSeq    the room's latest arrival number after the batch
     * @param servedUpTo the room's served counter as committed when the batch was written (admission moves it on meanwhile)
     */
    record Outcome(UUID token, boolean created, long seq, long lastSeq, long servedUpTo) {
    }

    /** Registers (or finds) the user's place; returns once it is committed. */
    Outcome register(long concertId, String userId);
}
