package io.concertticket.gateway.application;

import io.concertticket.gateway.domain.AdmissionToken;
import io.concertticket.gateway.domain.KeysUnavailableException;
import io.concertticket.gateway.domain.RevokedTokens;
import io.concertticket.gateway.domain.TokenRejectedException;
import io.concertticket.gateway.domain.TokenRejectedException.Reason;
import io.concertticket.gateway.domain.VerificationKeys;
import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Locale;

/**
 * Turns an {@code Admission-Token} header into a verified, unexpired, unrevoked admission token, with no
 * network call: the signature is checked against queue-service's cached published keys (once per token,
 * then the result is cached for as long as its key stays trusted), expiry against the local clock, revocation against the {@code TokenExpired}
 * events consumed from Kafka. Whether it belongs to the signed-in account is the caller's check.
 */
@ApplicationScoped
public class AuthenticateAdmissionToken {

    private final AdmissionTokenVerifier verifier;
    private final AdmissionSigningKeys keys;
    private final RevokedTokens revoked;
    private final VerifiedTokenCache<AdmissionToken> cache;
    private final long clockSkewMillis;

    public AuthenticateAdmissionToken(AdmissionTokenVerifier verifier, AdmissionSigningKeys keys, RevokedTokens revoked,
                                      UseCaseSettings config) {
        this.verifier = verifier;
        this.keys = keys;
        this.revoked = revoked;
        this.cache = new VerifiedTokenCache<>(config.jwt().verifiedTokenCacheSize());
        this.clockSkewMillis = config.jwt().clockSkew().toMillis();
    }

    /**
     * Authenticates without waiting for anything.
     *
     * @param header the {@code Admission-Token} header (the bare JWT), or null
     * @throws TokenRejectedException why the token is refused; {@link Reason#UNKNOWN_KEY} may succeed
     *                                after {@link #authenticateAfterKeyRefresh}
     */
    public AdmissionToken authenticate(String header, long nowMillis) {
        String jwt = header == null ? "" : header.trim();
        if (jwt.isEmpty()) {
            throw new TokenRejectedException(Reason.MISSING,
                    "this route needs the admission token from the waiting room: Admission-Token: <accessToken>");
        }
        VerificationKeys trusted = keys.current();
        AdmissionToken token = cache.get(jwt);
        if (token == null || trusted.get(token.keyId()) == null) {
            // not verified yet, or verified with a key the gateway no longer trusts (retired in a rotation and
            // forgotten after gateway.jwt.retired-key-retention): verified again, which refuses it as unknown-key
            token = verifier.verify(jwt, trusted);
            token = new AdmissionToken(token.accountId(), token.concertId(),
                    token.tokenId().toLowerCase(Locale.ROOT), token.expiresAtMillis(), token.keyId());
            if (!token.isExpired(nowMillis, clockSkewMillis)) {
                cache.put(jwt, token);
            }
        }
        if (token.isExpired(nowMillis, clockSkewMillis)) {
            throw new TokenRejectedException(Reason.EXPIRED,
                    "the admission token expired at " + Instant.ofEpochMilli(token.expiresAtMillis()));
        }
        if (revoked.isRevoked(token.tokenId())) {
            throw new TokenRejectedException(Reason.REVOKED,
                    "the admission token has been revoked (its place in line has ended)");
        }
        return token;
    }

    /**
     * For a token signed with a key id the gateway does not know: refetches the published keys (rate
     * limited) and tries once more. Fails with {@link KeysUnavailableException} if no keys could be had.
     */
    public Future<AdmissionToken> authenticateAfterKeyRefresh(String header) {
        return keys.refresh()
                .recover(e -> Future.failedFuture(new KeysUnavailableException(e.getMessage())))
                .map(k -> authenticate(header, System.currentTimeMillis()));
    }
}
