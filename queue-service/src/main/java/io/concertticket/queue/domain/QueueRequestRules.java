package io.concertticket.queue.domain;

import java.util.regex.Pattern;

/** What a registration must carry. The user id is the identity until login exists, so it is kept boring. */
public final class QueueRequestRules {

    public static final int USER_ID_MAX_LENGTH = 64;
    /** Letters, digits and a few separators: safe in a URL, a header, a log line and a JWT subject. */
    public static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9._@:-]{1," + USER_ID_MAX_LENGTH + "}");

    private QueueRequestRules() {
    }

    public static long requireConcertId(Long concertId) {
        if (concertId == null) {
            throw new InvalidQueueRequestException("concertId", "concertId is required.");
        }
        if (concertId < 1) {
            throw new InvalidQueueRequestException("concertId", "concertId must be a positive integer.");
        }
        return concertId;
    }

    public static String requireUserId(String userId) {
        if (userId == null || userId.isBlank()) {
            throw new InvalidQueueRequestException("userId", "userId is required.");
        }
        if (userId.length() > USER_ID_MAX_LENGTH) {
            throw new InvalidQueueRequestException("userId", "userId must be at most " + USER_ID_MAX_LENGTH + " characters.");
        }
        if (!USER_ID.matcher(userId).matches()) {
            throw new InvalidQueueRequestException("userId", "userId may contain only letters, digits and . _ @ : -");
        }
        return userId;
    }
}
