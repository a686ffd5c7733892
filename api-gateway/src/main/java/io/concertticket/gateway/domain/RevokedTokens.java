package io.concertticket.gateway.domain;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Access tokens revoked before their natural expiry (after a payment, or abandoned), by token id.
 * An entry is kept until the revoked token cannot be valid any more anyway, then forgotten, so the
 * set stays as small as the number of tokens revoked within one token lifetime.
 */
public final class RevokedTokens {

    private final ConcurrentHashMap<String, Long> forgetAtMillis = new ConcurrentHashMap<>();

    /** Records a revocation; {@code forgetAtMillis} must not be earlier than the token's own expiry. */
    public void revoke(String tokenId, long forgetAtMillis) {
        this.forgetAtMillis.merge(tokenId, forgetAtMillis, Math::max);
    }

    public boolean isRevoked(String tokenId) {
        return forgetAtMillis.containsKey(tokenId);
    }

    /** Drops revocations of tokens that have expired by now; returns how many were dropped. */
    public int forgetExpired(long nowMillis) {
        int before = forgetAtMillis.size();
        forgetAtMillis.values().removeIf(until -> until <= nowMillis);
        return before - forgetAtMillis.size();
    }

    public int size() {
        return forgetAtMillis.size();
    }
}
