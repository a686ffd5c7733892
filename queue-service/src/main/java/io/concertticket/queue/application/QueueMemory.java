package io.concertticket.queue.application;

import io.concertticket.queue.domain.TokenSnapshot;
import io.concertticket.queue.domain.WaitingLine;

import java.util.Optional;
import java.util.UUID;

/**
 * This replica's view of tokens and waiting lines, in memory, so that a poll costs no database round trip: at most
 * about one refresh interval behind the database. It only ever shows, never decides.
 */
public interface QueueMemory {

    /** The token as this replica knows it, loading it once if it has never seen it. */
    Optional<TokenSnapshot> token(UUID id);

    /** The token when answering needs no database read; empty means "ask {@link #token}". Never blocks. */
    Optional<TokenSnapshot> tokenInMemory(UUID id);

    /** The concert's waiting line as this replica knows it. */
    WaitingLine line(long concertId);

    /** Keeps what this replica has just written; the newer of two copies wins. */
    TokenSnapshot remember(TokenSnapshot t);

    /** Keeps what this replica has just written; the newer of two copies wins. */
    WaitingLine rememberLine(WaitingLine line);

    /** Notes that the owner of a waiting token is still there. */
    void recordPoll(UUID id);
}
