package io.concertticket.payment.api;

/**
 * The caller as the gateway verified it (header X-User-Id, see docs/contracts.md). Services trust
 * nothing else: no header means the request did not come through the gateway's token check.
 */
final class CallerIdentity {

    static final String USER_HEADER = "X-User-Id";
    static final int MAX_USER_ID_LENGTH = 64;

    static final class NotAuthenticatedException extends RuntimeException {
        NotAuthenticatedException() {
            super("This endpoint needs an access token (no " + USER_HEADER + " from the gateway).");
        }
    }

    static final class ForbiddenException extends RuntimeException {
        ForbiddenException(String message) {
            super(message);
        }
    }

    /** A request header that is present but unusable. */
    static final class BadHeaderException extends RuntimeException {
        final String header;

        BadHeaderException(String header, String message) {
            super(message);
            this.header = header;
        }
    }

    private CallerIdentity() {
    }

    static String require(String userHeader) {
        if (userHeader == null || userHeader.isBlank()) {
            throw new NotAuthenticatedException();
        }
        if (userHeader.length() > MAX_USER_ID_LENGTH) {
            throw new BadHeaderException(USER_HEADER, USER_HEADER + " is longer than " + MAX_USER_ID_LENGTH + " characters");
        }
        return userHeader;
    }

    /** The caller may only act on their own wallet. */
    static String requireSelf(String userHeader, String pathUserId) {
        String caller = require(userHeader);
        if (!caller.equals(pathUserId)) {
            throw new ForbiddenException("You may only access your own wallet.");
        }
        return caller;
    }

    static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    static final String REPLAYED_HEADER = "Idempotent-Replayed";

    /**
     * null when absent; 1 to 200 visible ASCII characters otherwise. Read from all header values, because
     * an empty header must be refused, not mistaken for "no key" (the client asked for idempotency).
     */
    static String idempotencyKey(jakarta.ws.rs.core.HttpHeaders headers) {
        java.util.List<String> values = headers.getRequestHeader(IDEMPOTENCY_HEADER);
        if (values == null || values.isEmpty()) {
            return null;
        }
        String value = values.get(0) == null ? "" : values.get(0).trim();
        if (values.size() > 1 || value.isEmpty() || value.length() > 200 || !value.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw new BadHeaderException(IDEMPOTENCY_HEADER,
                    IDEMPOTENCY_HEADER + " must be 1 to 200 visible ASCII characters (a UUID is a good choice)");
        }
        return value;
    }
}
