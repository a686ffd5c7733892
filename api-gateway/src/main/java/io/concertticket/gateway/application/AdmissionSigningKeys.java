package io.concertticket.gateway.application;

import io.concertticket.gateway.domain.VerificationKeys;
import io.vertx.core.Future;

/** The keys queue-service signs admission tokens with, as the gateway has them (infrastructure fetches its JWKS). */
public interface AdmissionSigningKeys {

    /** The keys as last fetched (empty until the first fetch succeeds). */
    VerificationKeys current();

    /**
     * Fetches the keys again unless that was tried within the minimum refresh interval; completes with
     * the keys to use (fresh or current), or fails if none could ever be fetched.
     */
    Future<VerificationKeys> refresh();
}
