package io.concertticket.gateway.application;

import io.concertticket.gateway.domain.AccessToken;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens whose signature has been verified, by their exact text, so that a client polling with the same
 * token costs a map lookup instead of an RSA verification. Keyed by the whole token (not a hash of it),
 * so a collision can never lend one token's identity to another. Bounded: expired entries are swept
 * periodically, and a full cache starts over (the price is re-verifying, never a wrong answer).
 */
public final class VerifiedTokenCache {

    private final ConcurrentHashMap<String, AccessToken> tokens = new ConcurrentHashMap<>();
    private final int maxSize;

    public VerifiedTokenCache(int maxSize) {
        this.maxSize = maxSize;
    }

    public AccessToken get(String jwt) {
        return tokens.get(jwt);
    }

    public void put(String jwt, AccessToken token) {
        if (maxSize <= 0) {
            return;
        }
        if (tokens.size() >= maxSize) {
            tokens.clear();
        }
        tokens.put(jwt, token);
    }

    public int sweepExpired(long nowMillis) {
        int before = tokens.size();
        tokens.values().removeIf(t -> t.expiresAtMillis() <= nowMillis);
        return before - tokens.size();
    }

    public int size() {
        return tokens.size();
    }
}
