package io.concertticket.gateway.infrastructure;

import io.concertticket.identity.HopToken;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;

/**
 * What the gateway's infrastructure and routes read from configuration (environment: GATEWAY_QUEUE_SERVICE_URL and so
 * on). The use cases read theirs through the application's UseCaseSettings (the token caches, the clock skew and the
 * hop tokens' lifetime are declared there).
 */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /**
     * Base URL of queue-service (also where the token signing keys are published); several comma-separated URLs
     * are replicas the gateway balances over (round robin, a refused connection tried on the next one).
     */
    @WithDefault("http://127.0.0.1:8081")
    List<String> queueServiceUrl();

    @WithDefault("http://127.0.0.1:8082")
    List<String> concertServiceUrl();

    @WithDefault("http://127.0.0.1:8083")
    List<String> paymentServiceUrl();

    Proxy proxy();

    Identity identity();

    HopTokenSettings hopToken();

    Jwt jwt();

    Revocation revocation();

    RateLimit rateLimit();

    OpenApi openapi();

    interface Proxy {
        /** Time to open a TCP connection to a service; then 503. */
        @WithDefault("2s")
        Duration connectTimeout();

        /**
         * Longest a request waits for a pooled connection while every connection to its service is busy
         * (a burst); then 503 with Retry-After. Longer than {@link #connectTimeout()}: a burst of seat
         * listings drains in seconds, and waiting a little beats sending the whole crowd back at once.
         */
        @WithDefault("8s")
        Duration poolWaitTimeout();

        /** Longest silence from a service while waiting for its response; then 503. */
        @WithDefault("10s")
        Duration responseTimeout();

        /** Keep-alive HTTP/1.1 connections per replica of a service, and so its requests in flight at once (ConnectionPermits). */
        @WithDefault("256")
        int maxConnectionsPerService();

        /**
         * A pooled keep-alive connection left idle this long is closed by the gateway (whole seconds). Must stay
         * below the services' own idle timeout ({@code quarkus.http.idle-timeout}, 60 s), so that the gateway
         * retires a connection before the service closes it under a request in flight.
         */
        @WithDefault("30s")
        Duration poolIdleTimeout();

        /**
         * A replica of a service (one of several URLs) that refused a connection is passed over this long, so
         * requests stop paying a refused connect each; it is tried again afterwards (or sooner if all are).
         */
        @WithDefault("5s")
        Duration replicaCooldown();

        /** Requests that may wait, in arrival order, for a connection to one replica; beyond that they get 503 at once. */
        @WithDefault("4096")
        int maxWaitQueue();

        /** Largest request body passed on (Content-Length and streamed bodies alike); larger is 413. */
        @WithDefault("16K")
        MemorySize maxBodySize();
    }

    interface Identity {
        /** While the identity provider's keys are not loaded, loading them is retried this often at most. */
        @WithDefault("30s")
        Duration maxRetryInterval();
    }

    /** The hop token the gateway signs for every forwarded request (docs/identity.md). */
    interface HopTokenSettings {
        /** PKCS#8 PEM private key (RS256): a file path, {@code file:...} or {@code classpath:...}. */
        String privateKeyLocation();

        @WithDefault(HopToken.DEFAULT_ISSUER)
        String issuer();
    }

    /** Admission tokens: signed by queue-service, keys from its JWKS. */
    interface Jwt {
        /** The only accepted {@code iss}. */
        @WithDefault("concert-queue")
        String issuer();

        /** Path of the JWKS on queue-service. */
        @WithDefault("/.well-known/jwks.json")
        String jwksPath();

        /** A token with an unknown key id refetches the keys, at most this often. */
        @WithDefault("5s")
        Duration jwksMinRefreshInterval();

        /** Keys are also refetched in the background this often, so retired keys disappear. */
        @WithDefault("10m")
        Duration jwksRefreshInterval();

        /**
         * A key stays trusted until it has been missing from every JWKS fetched for this long. Fetches land on
         * any queue-service replica, and during a rollout or a key rotation replicas publish different sets:
         * the gateway merges them instead of flip-flopping. At least an access token's lifetime (10 minutes).
         */
        @WithDefault("15m")
        Duration retiredKeyRetention();
    }

    interface Revocation {
        /**
         * At least the longest lifetime of an access token: a revocation is remembered this long after it
         * happened, and a new gateway replays this much of the topic at start.
         */
        @WithDefault("15m")
        Duration retention();
    }

    interface RateLimit {
        /**
         * Per-client limits on queue registration and polling and on the sale routes: per account when
         * signed in; per client address for identity tokens not verified before (their signature check).
         */
        @WithDefault("true")
        boolean enabled();

        @WithDefault("20")
        double requestsPerSecond();

        @WithDefault("40")
        int burst();

        /**
         * Proxies in front of the gateway that append to X-Forwarded-For (0: clients connect directly).
         * The client address is the right-most entry beyond them: entries further left are whatever the
         * client wrote, so they never count.
         */
        @WithDefault("0")
        int trustedProxies();

        /** Clients (accounts and addresses) tracked at once. */
        @WithDefault("100000")
        int maxClients();
    }

    /** Gathering the OpenAPI documents (how long they are kept is the use case's, in UseCaseSettings). */
    interface OpenApi {
        /** A service's own document must arrive within this, else its last one seen stands in. */
        @WithDefault("5s")
        Duration fetchTimeout();
    }
}
