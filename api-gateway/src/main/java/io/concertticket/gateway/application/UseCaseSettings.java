package io.concertticket.gateway.application;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * The settings the use cases go by, read from the gateway's configuration (the same {@code gateway.*} keys and
 * environment variables). The token caches, the clock skew and the hop tokens' lifetime are read here only and
 * declared here; the revocation retention is also read by infrastructure, so its default and meaning are
 * declared once, in infrastructure's {@code GatewayConfig}, and this is the use cases' view of it. How long the
 * gathered OpenAPI document is kept is read here only and declared here.
 */
@ConfigMapping(prefix = "gateway")
public interface UseCaseSettings {

    IdentityTokens identity();

    AdmissionTokens jwt();

    HopTokens hopToken();

    Revocations revocation();

    OpenApiDocument openapi();

    interface IdentityTokens {
        /**
         * Verified identity tokens remembered by their exact text until they expire, so that a client
         * sending the same token again costs a lookup instead of a signature check.
         */
        @WithDefault("100000")
        int verifiedTokenCacheSize();
    }

    /** Admission tokens: signed by queue-service, keys from its JWKS. */
    interface AdmissionTokens {
        /** Tolerance for clocks that disagree with queue-service's when checking {@code exp}. */
        @WithDefault("0s")
        Duration clockSkew();

        /** Verified tokens remembered so that a token's signature is checked once, not per request. */
        @WithDefault("100000")
        int verifiedTokenCacheSize();
    }

    /** The hop token the gateway signs for every forwarded request (docs/identity.md). */
    interface HopTokens {
        /** At most a minute (the services' contract). */
        @WithDefault("60s")
        Duration lifetime();

        /** A cached hop token is reused while it has more than this left. */
        @WithDefault("30s")
        Duration minRemaining();

        /** Signed hop tokens kept for reuse (per account, admission and service). */
        @WithDefault("50000")
        int cacheSize();
    }

    interface Revocations {
        Duration retention();
    }

    interface OpenApiDocument {
        /** The gathered document is rebuilt on a request at most this often. */
        @WithDefault("60s")
        Duration cacheTtl();
    }
}
