package io.concertticket.queue.domain;

import java.util.UUID;

public class TokenNotFoundException extends RuntimeException {
    private final UUID token;

    public TokenNotFoundException(UUID token) {
        super("No queue token " + token + ".");
        this.token = token;
    }

    public UUID token() {
        return token;
    }
}
