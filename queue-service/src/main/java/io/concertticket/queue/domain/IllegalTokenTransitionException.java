package io.concertticket.queue.domain;

import java.util.UUID;

/** A state change the token's life does not allow (a bug in the caller, never the client's mistake). */
public class IllegalTokenTransitionException extends IllegalStateException {
    public IllegalTokenTransitionException(UUID token, TokenStatus from, String change) {
        super("token " + token + " is " + from + ": cannot " + change);
    }
}
