package io.concertticket.concert.api;

/**
 * Who calls, as the gateway verified it from the access token: {@code X-User-Id} and
 * {@code X-Concert-Id} (docs/contracts.md). Identity is never read from a request body.
 */
public record Caller(String userId, long concertId) {

    public static final String USER_HEADER = "X-User-Id";
    public static final String CONCERT_HEADER = "X-Concert-Id";

    static Caller from(String userId, String concertId) {
        if (userId == null || userId.isBlank()) {
            throw new UnauthenticatedException("This endpoint needs an access token (no " + USER_HEADER + ").");
        }
        if (concertId == null || concertId.isBlank()) {
            throw new UnauthenticatedException("The access token names no concert (no " + CONCERT_HEADER + ").");
        }
        try {
            return new Caller(userId.strip(), Long.parseLong(concertId.strip()));
        } catch (NumberFormatException e) {
            throw new UnauthenticatedException("The access token's concert is not a number.");
        }
    }
}
