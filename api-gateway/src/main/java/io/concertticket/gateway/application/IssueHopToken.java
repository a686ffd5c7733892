package io.concertticket.gateway.application;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.concertticket.gateway.domain.HopGrant;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * The hop token for a forwarded request. Signed hop tokens are kept per grant (account, admission,
 * service) and reused while they have more than {@code gateway.hop-token.min-remaining} left, so a client
 * polling or browsing costs no RSA signature per request. A hop token never outlives the identity or
 * admission token it speaks for; one cut short that way is reused until just before it ends (a new one
 * could not last longer).
 */
@ApplicationScoped
public class IssueHopToken {

    /** A hop token this close to its end is not handed out again. */
    private static final long FINAL_MARGIN_MILLIS = 1_000;

    private final HopTokenSigner signer;
    private final long lifetimeMillis;
    private final long minRemainingMillis;
    private final Cache<HopGrant, Signed> cache;

    public IssueHopToken(HopTokenSigner signer, UseCaseSettings config) {
        this.signer = signer;
        this.lifetimeMillis = config.hopToken().lifetime().toMillis();
        this.minRemainingMillis = config.hopToken().minRemaining().toMillis();
        this.cache = Caffeine.newBuilder()
                .maximumSize(config.hopToken().cacheSize())
                .expireAfter(Expiry.writing((HopGrant grant, Signed signed) ->
                        Duration.ofMillis(Math.max(0, signed.reusableUntilMillis() - System.currentTimeMillis()))))
                .build();
    }

    public String hopToken(HopGrant grant, long nowMillis) {
        Signed signed = cache.getIfPresent(grant);
        if (signed == null || nowMillis >= signed.reusableUntilMillis) {
            signed = sign(grant, nowMillis);
            cache.put(grant, signed);
        }
        return signed.jwt;
    }

    private Signed sign(HopGrant grant, long nowMillis) {
        long capMillis = grant.credentialsExpireAtMillis();
        long expiresAtMillis = Math.min(nowMillis + lifetimeMillis, capMillis);
        // whole seconds, rounded down: never later than the cap
        long issuedAt = nowMillis / 1000;
        long expiresAt = Math.max(issuedAt + 1, expiresAtMillis / 1000);
        String jwt = signer.sign(grant, issuedAt, expiresAt);
        boolean cutShort = expiresAt * 1000 < nowMillis + lifetimeMillis - 1000;
        long reusableUntil = cutShort ? expiresAt * 1000 - FINAL_MARGIN_MILLIS : expiresAt * 1000 - minRemainingMillis;
        return new Signed(jwt, reusableUntil);
    }

    private record Signed(String jwt, long reusableUntilMillis) {
    }
}
