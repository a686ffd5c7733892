package io.concertticket.queue.domain;

import java.util.regex.Pattern;

/**
 * What a registration must carry. The user is the verified account (the hop token's {@code sub}); a
 * user id written by a client chooses nothing, it can only be checked against that account.
 */
public final class QueueRequestRules {

    public static final int ACCOUNT_MAX_LENGTH = 64;
    /** Letters, digits and a few separators: safe in a URL, a Kafka key, a log line and a JWT subject. */
    public static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9._@:-]{1," + ACCOUNT_MAX_LENGTH + "}");

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

    /**
     * The account a registration joins as: always the caller's. A {@code userId} in the body is
     * optional; when present it must be exactly that account, otherwise the client is trying to act
     * for someone else.
     */
    public static String requireOwnAccount(String accountId, String claimedUserId) {
        if (claimedUserId != null && !claimedUserId.equals(accountId)) {
            throw new NotYourAccountException();
        }
        if (accountId == null || !ACCOUNT.matcher(accountId).matches()) {
            // the identity provider's subject does not fit what the queue stores and signs
            throw new InvalidQueueRequestException("account",
                    "Your account id must be 1 to " + ACCOUNT_MAX_LENGTH + " letters, digits or . _ @ : - to join a waiting room.");
        }
        return accountId;
    }
}
