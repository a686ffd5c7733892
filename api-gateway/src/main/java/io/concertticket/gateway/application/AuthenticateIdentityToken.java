package io.concertticket.gateway.application;

import io.concertticket.gateway.domain.Account;
import io.concertticket.gateway.domain.CompactJws;
import io.concertticket.gateway.domain.KeysUnavailableException;
import io.concertticket.gateway.domain.TokenRejectedException;
import io.concertticket.gateway.domain.TokenRejectedException.Reason;
import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns {@code Authorization: Bearer <identity token>} into the signed-in {@link Account}. A token is
 * verified once (signature, issuer, audience, expiry) and then remembered by its exact text
 * until it expires, so a polling client costs a lookup, not a signature check; expiry is checked on every use.
 */
@ApplicationScoped
public class AuthenticateIdentityToken {

    private static final String BEARER = "bearer ";

    private final IdentityTokenVerifier verifier;
    private final VerifiedTokenCache<Account> cache;

    public AuthenticateIdentityToken(IdentityTokenVerifier verifier, UseCaseSettings config) {
        this.verifier = verifier;
        this.cache = new VerifiedTokenCache<>(config.identity().verifiedTokenCacheSize());
    }

    /**
     * The token of an {@code Authorization} header.
     *
     * @throws TokenRejectedException missing or not {@code Bearer <jwt>}
     */
    public static String bearerToken(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new TokenRejectedException(Reason.MISSING,
                    "this route needs the signed-in account: Authorization: Bearer <identity token>");
        }
        if (authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new TokenRejectedException(Reason.MALFORMED,
                    "the Authorization header must be 'Bearer <identity token>'");
        }
        String jwt = authorization.substring(BEARER.length()).trim();
        if (!CompactJws.looksLikeOne(jwt)) {
            throw new TokenRejectedException(Reason.MALFORMED,
                    "the identity token is not a signed JWT (header.payload.signature)");
        }
        return jwt;
    }

    /**
     * The account of a token verified before, without waiting; {@code null} when it must be verified.
     *
     * @throws TokenRejectedException the remembered token has expired
     */
    public Account cached(String jwt, long nowMillis) {
        Account account = cache.get(jwt);
        if (account != null && account.isExpired(nowMillis)) {
            throw new TokenRejectedException(Reason.EXPIRED, "the identity token has expired; sign in again");
        }
        return account;
    }

    /**
     * Verifies a token not seen before. Fails with {@link TokenRejectedException} (401) or
     * {@link KeysUnavailableException} (503: the identity provider's keys are not loaded).
     */
    public Future<Account> verify(String jwt) {
        return verifier.verify(jwt).map(account -> {
            cache.put(jwt, account);
            return account;
        });
    }
}
