package io.concertticket.queue.application;

import io.concertticket.queue.domain.TokenSnapshot;

/** The access (admission) tokens: signed for each ACTIVE queue token, verified with the published public keys. */
public interface AccessTokens {

    /** The access token of an ACTIVE queue token; every replica sharing the key issues the same one. */
    String accessTokenFor(TokenSnapshot token);

    /** The public keys that verify access tokens, as a JWKS document. */
    String jwks();
}
