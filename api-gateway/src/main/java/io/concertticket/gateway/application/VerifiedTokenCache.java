package io.concertticket.gateway.application;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.concertticket.gateway.domain.Expiring;

import java.time.Duration;

/**
 * Tokens whose signature has been verified, by their exact text, so that a client sending the same token
 * again costs a lookup instead of a signature check. Keyed by the whole token (not a hash of it), so a
 * collision can never lend one token's identity to another. Bounded in size (least recently used entries
 * go first; the price is re-verifying, never a wrong answer) and each entry leaves when its token expires.
 */
public final class VerifiedTokenCache<T extends Expiring> {

    private final Cache<String, T> tokens;

    public VerifiedTokenCache(int maxSize) {
        this.tokens = Caffeine.newBuilder()
                .maximumSize(Math.max(0, maxSize))
                .expireAfter(Expiry.writing((String jwt, T token) ->
                        Duration.ofMillis(Math.max(0, token.expiresAtMillis() - System.currentTimeMillis()))))
                .build();
    }

    /** The verified token, or {@code null}; the caller still checks expiry (entries leave lazily). */
    public T get(String jwt) {
        return tokens.getIfPresent(jwt);
    }

    public void put(String jwt, T token) {
        tokens.put(jwt, token);
    }
}
