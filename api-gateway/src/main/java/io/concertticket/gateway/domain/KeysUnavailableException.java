package io.concertticket.gateway.domain;

/**
 * The keys a token must be checked with could not be fetched (the identity provider or queue-service is
 * unreachable): the gateway cannot judge the token, so the answer is 503, not 401.
 */
public final class KeysUnavailableException extends RuntimeException {

    private final String source;

    public KeysUnavailableException(String source, String message) {
        super(message, null, false, false);
        this.source = source;
    }

    public KeysUnavailableException(String message) {
        this("queue-service", message);
    }

    /** Whose keys: {@code identity-provider} or {@code queue-service}. */
    public String source() {
        return source;
    }
}
