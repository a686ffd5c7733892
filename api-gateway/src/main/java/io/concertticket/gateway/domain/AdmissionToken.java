package io.concertticket.gateway.domain;

/**
 * A verified admission token (signature and issuer checked; queue-service issues it when the account's
 * place in line is admitted): whom and which concert it admits, and until when. Expiry and revocation
 * are checked on every use, because a verified token is cached.
 *
 * @param accountId       the {@code sub} claim, the account that waited in line
 * @param concertId       the {@code concertId} claim
 * @param tokenId         the {@code jti} claim, the queue token id that {@code TokenExpired} events name
 * @param expiresAtMillis the {@code exp} claim in epoch milliseconds
 * @param keyId           the {@code kid} of queue-service's key that verified the signature: the token is trusted only
 *                        while the gateway still trusts that key (a retired key's tokens go with it)
 */
public record AdmissionToken(String accountId, long concertId, String tokenId, long expiresAtMillis, String keyId)
        implements Expiring {

    public boolean isExpired(long nowMillis, long clockSkewMillis) {
        return nowMillis >= expiresAtMillis + clockSkewMillis;
    }
}
