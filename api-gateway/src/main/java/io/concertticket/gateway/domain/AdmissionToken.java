package io.concertticket.gateway.domain;

/**
 * A verified access token (signature and issuer checked): who it speaks for and until when.
 * Expiry and revocation are checked on every use, because a verified token is cached.
 *
 * @param userId    the {@code sub} claim, the queue's user id
 * @param concertId the {@code concertId} claim
 * @param tokenId   the {@code jti} claim, the queue token id that {@code TokenExpired} events name
 * @param expiresAtMillis the {@code exp} claim in epoch milliseconds
 */
public record AccessToken(String userId, long concertId, String tokenId, long expiresAtMillis) {

    /** The concert id as the header value the services read; computed once per verified token. */
    public String concertIdHeader() {
        return Long.toString(concertId);
    }

    public boolean isExpired(long nowMillis, long clockSkewMillis) {
        return nowMillis >= expiresAtMillis + clockSkewMillis;
    }
}
