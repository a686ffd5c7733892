package io.concertticket.gateway.application;

import io.concertticket.gateway.domain.AdmissionToken;
import io.concertticket.gateway.domain.TokenRejectedException;
import io.concertticket.gateway.domain.VerificationKeys;

/** Checks an admission token's signature and issuer; expiry and revocation are the caller's (a verified token is cached). */
public interface AdmissionTokenVerifier {

    /** @throws TokenRejectedException why the token is refused, {@code UNKNOWN_KEY} when no key of {@code keys} is named */
    AdmissionToken verify(String jwt, VerificationKeys keys);
}
