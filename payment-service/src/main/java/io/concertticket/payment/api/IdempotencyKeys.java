package io.concertticket.payment.api;

import jakarta.ws.rs.core.HttpHeaders;

import java.util.List;

/** The {@code Idempotency-Key} request header of charges and payments, and the header that marks a replay. */
final class IdempotencyKeys {

    static final String KEY_HEADER = "Idempotency-Key";
    static final String REPLAYED_HEADER = "Idempotent-Replayed";
    static final int MAX_LENGTH = 200;

    /** A key header that is present but unusable (400 {@code invalid-header}). */
    static final class InvalidKeyException extends RuntimeException {
        InvalidKeyException() {
            super(KEY_HEADER + " must be 1 to " + MAX_LENGTH + " visible ASCII characters (a UUID is a good choice)");
        }
    }

    private IdempotencyKeys() {
    }

    /**
     * null when absent; 1 to 200 visible ASCII characters otherwise. Read from all header values, because
     * an empty header must be refused, not mistaken for "no key" (the client asked for idempotency).
     */
    static String from(HttpHeaders headers) {
        List<String> values = headers.getRequestHeader(KEY_HEADER);
        if (values == null || values.isEmpty()) {
            return null;
        }
        String value = values.get(0) == null ? "" : values.get(0).trim();
        if (values.size() > 1 || value.isEmpty() || value.length() > MAX_LENGTH
                || !value.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw new InvalidKeyException();
        }
        return value;
    }
}
