package io.concertticket.gateway.application;

import io.concertticket.gateway.domain.HopGrant;

/** Signs the hop token of a grant (docs/identity.md), valid from and until the given epoch seconds. */
public interface HopTokenSigner {

    /** One signature (about a millisecond for RSA): callers cache the result. */
    String sign(HopGrant grant, long issuedAtSeconds, long expiresAtSeconds);
}
