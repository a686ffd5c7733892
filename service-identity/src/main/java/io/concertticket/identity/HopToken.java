package io.concertticket.identity;

/**
 * The contract of the hop token: a short-lived JWT (RS256) that the gateway signs for every request it
 * forwards, after it has verified the caller's identity token (and admission token, where the route needs
 * one). A service acts only on this token, verified with the gateway's public key; identity headers mean
 * nothing. See docs/identity.md.
 *
 * <pre>
 *   iss  = gateway.hop-token.issuer (default "concert-gateway")
 *   aud  = the service it is for: "queue-service", "concert-service" or "payment-service"
 *   sub  = the signed-in account (the identity token's sub)
 *   groups       = the account's roles ("operator", ...)
 *   concert_id   = the concert of the verified admission token (absent without one)
 *   admission_id = the admission token's jti, i.e. the queue token id (absent without one)
 *   iat, exp     = at most a minute apart
 * </pre>
 */
public final class HopToken {

    public static final String DEFAULT_ISSUER = "concert-gateway";
    public static final String CONCERT_CLAIM = "concert_id";
    public static final String ADMISSION_CLAIM = "admission_id";
    public static final String ROLES_CLAIM = "groups";
    public static final String OPERATOR_ROLE = "operator";

    /** The request header in which a client sends its admission (access) token, beside Authorization. */
    public static final String ADMISSION_HEADER = "Admission-Token";

    private HopToken() {
    }
}
