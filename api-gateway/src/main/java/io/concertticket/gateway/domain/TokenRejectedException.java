package io.concertticket.gateway.domain;

/**
 * Why an identity or admission token is refused. Each reason is a 401 with its own detail;
 * {@link Reason#UNKNOWN_KEY} is the one the caller may retry after refreshing the published keys (they may
 * have rotated). No stack trace: tokens are refused often and the reason says everything.
 */
public class TokenRejectedException extends RuntimeException {

    public enum Reason {
        MISSING("missing-token"),
        MALFORMED("malformed-token"),
        UNSUPPORTED_ALGORITHM("unsupported-algorithm"),
        UNKNOWN_KEY("unknown-key"),
        BAD_SIGNATURE("bad-signature"),
        WRONG_ISSUER("wrong-issuer"),
        WRONG_AUDIENCE("wrong-audience"),
        EXPIRED("expired-token"),
        REVOKED("revoked-token"),
        /** Refused for a reason the verifier does not tell apart (a required claim missing, ...). */
        INVALID("invalid-token");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        /** A stable machine-readable code, sent to clients as the problem's {@code reason}. */
        public String code() {
            return code;
        }
    }

    private final Reason reason;

    public TokenRejectedException(Reason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
