package io.concertticket.gateway.application;

import io.concertticket.gateway.domain.AccessToken;
import io.concertticket.gateway.domain.RevokedTokens;
import io.concertticket.gateway.domain.TokenRejectedException;
import io.concertticket.gateway.domain.TokenRejectedException.Reason;
import io.concertticket.gateway.infrastructure.GatewayConfig;
import io.concertticket.gateway.infrastructure.JwksKeySource;
import io.concertticket.gateway.infrastructure.Rs256TokenVerifier;
import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Locale;

/**
 * Turns an {@code Authorization: Bearer} header into a verified, unexpired, unrevoked access token, with
 * no network call: the signature is checked against the cached published keys (once per token, then the
 * result is cached), expiry against the local clock, revocation against the {@code TokenExpired} events
 * consumed from Kafka.
 */
@ApplicationScoped
public class AuthenticateAccessToken {

    private static final String BEARER = "bearer ";

    private final Rs256TokenVerifier verifier;
    private final JwksKeySource keys;
    private final RevokedTokens revoked;
    private final VerifiedTokenCache cache;
    private final long clockSkewMillis;

    public AuthenticateAccessToken(JwksKeySource keys, RevokedTokens revoked, GatewayConfig config) {
        this.verifier = new Rs256TokenVerifier(config.jwt().issuer());
        this.keys = keys;
        this.revoked = revoked;
        this.cache = new VerifiedTokenCache(config.jwt().verifiedTokenCacheSize());
        this.clockSkewMillis = config.jwt().clockSkew().toMillis();
    }

    /**
     * Authenticates without waiting for anything.
     *
     * @throws TokenRejectedException why the token is refused; {@link Reason#UNKNOWN_KEY} may succeed
     *                                after {@link #authenticateAfterKeyRefresh}
     */
    public AccessToken authenticate(String authorization, long nowMillis) {
        String jwt = bearerToken(authorization);
        AccessToken token = cache.get(jwt);
        if (token == null) {
            token = verifier.verify(jwt, keys.current());
            token = new AccessToken(token.userId(), token.concertId(),
                    token.tokenId().toLowerCase(Locale.ROOT), token.expiresAtMillis());
            if (!token.isExpired(nowMillis, clockSkewMillis)) {
                cache.put(jwt, token);
            }
        }
        if (token.isExpired(nowMillis, clockSkewMillis)) {
            throw new TokenRejectedException(Reason.EXPIRED,
                    "the access token expired at " + Instant.ofEpochMilli(token.expiresAtMillis()));
        }
        if (revoked.isRevoked(token.tokenId())) {
            throw new TokenRejectedException(Reason.REVOKED,
                    "the access token has been revoked (its queue token has expired)");
        }
        return token;
    }

    /**
     * For a token signed with a key id the gateway does not know: refetches the published keys (rate
     * limited) and tries once more. Fails with {@link KeysUnavailableException} if no keys could be had.
     */
    public Future<AccessToken> authenticateAfterKeyRefresh(String authorization) {
        return keys.refresh()
                .recover(e -> Future.failedFuture(new KeysUnavailableException(e.getMessage())))
                .map(k -> authenticate(authorization, System.currentTimeMillis()));
    }

    /** Drops expired tokens from the cache; returns how many. */
    public int sweepExpired(long nowMillis) {
        return cache.sweepExpired(nowMillis);
    }

    public int cachedTokens() {
        return cache.size();
    }

    private static String bearerToken(String authorization) {
        if (authorization == null || authorization.isEmpty()) {
            throw new TokenRejectedException(Reason.MISSING,
                    "this route needs an access token: Authorization: Bearer <accessToken>");
        }
        if (authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new TokenRejectedException(Reason.MALFORMED,
                    "the Authorization header must be 'Bearer <accessToken>'");
        }
        String jwt = authorization.substring(BEARER.length()).trim();
        if (jwt.isEmpty()) {
            throw new TokenRejectedException(Reason.MALFORMED,
                    "the Authorization header must be 'Bearer <accessToken>'");
        }
        return jwt;
    }

    /** The published keys could not be fetched: the gateway cannot judge any token (503, not 401). */
    public static final class KeysUnavailableException extends RuntimeException {
        public KeysUnavailableException(String message) {
            super(message, null, false, false);
        }
    }
}
