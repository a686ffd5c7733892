package io.concertticket.identity;

import java.util.Set;
import java.util.UUID;

/**
 * The verified caller of a request, read from the hop token: the signed-in account, its roles and,
 * when the request carried an admission token, the concert and queue token it admits.
 */
public record Caller(String accountId, Set<String> roles, Long admittedConcertId, UUID admissionId) {

    public Caller {
        roles = Set.copyOf(roles);
    }

    public boolean isOperator() {
        return roles.contains(HopToken.OPERATOR_ROLE);
    }

    public boolean hasAdmission() {
        return admittedConcertId != null && admissionId != null;
    }

    /**
     * The caller must be admitted to {@code concertId}: sale routes (seats, holds, payments) act only
     * within the concert the admission token names.
     */
    public void requireAdmissionTo(long concertId) {
        if (!hasAdmission()) {
            throw new AdmissionRequiredException(
                    "This route needs an admission token (header " + HopToken.ADMISSION_HEADER + ") from the waiting room.");
        }
        if (admittedConcertId != concertId) {
            throw new AdmissionForOtherConcertException(admittedConcertId, concertId);
        }
    }

    /** An admission is needed but the request has none. */
    public static final class AdmissionRequiredException extends RuntimeException {
        public AdmissionRequiredException(String message) {
            super(message);
        }
    }

    /** The admission token is for another concert than the one the request acts on. */
    public static final class AdmissionForOtherConcertException extends RuntimeException {
        private final long admittedConcertId;
        private final long requestedConcertId;

        public AdmissionForOtherConcertException(long admittedConcertId, long requestedConcertId) {
            super("Your admission is for concert " + admittedConcertId + ", not concert " + requestedConcertId + ".");
            this.admittedConcertId = admittedConcertId;
            this.requestedConcertId = requestedConcertId;
        }

        public long admittedConcertId() {
            return admittedConcertId;
        }

        public long requestedConcertId() {
            return requestedConcertId;
        }
    }
}
