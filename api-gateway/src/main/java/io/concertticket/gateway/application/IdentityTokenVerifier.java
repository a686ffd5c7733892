package io.concertticket.gateway.application;

import io.concertticket.gateway.domain.Account;
import io.concertticket.gateway.domain.KeysUnavailableException;
import io.concertticket.gateway.domain.TokenRejectedException;
import io.vertx.core.Future;

/** Verifies an identity token with the identity provider's keys: signature, issuer, audience, expiry. */
public interface IdentityTokenVerifier {

    /**
     * Completes with the signed-in account, or fails with {@link TokenRejectedException} (the token is refused) or
     * {@link KeysUnavailableException} (the identity provider's keys are not loaded or cannot be fetched).
     */
    Future<Account> verify(String jwt);
}
