package io.concertticket.gateway.infrastructure;

import io.concertticket.gateway.application.AdmissionSigningKeys;
import io.concertticket.gateway.domain.Upstream;
import io.concertticket.gateway.domain.VerificationKeys;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.lang.JoseException;

import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.util.HashMap;
import java.util.Map;

/**
 * The queue-service's public signing keys (its JWKS), fetched at start and kept in memory. Fetching is
 * retried in the background until it succeeds (queue-service may start after the gateway), repeated
 * periodically so retired keys disappear, and on demand when a token names an unknown key id (keys
 * rotate) — at most once per {@code gateway.jwt.jwks-min-refresh-interval}, so forged key ids cannot
 * make the gateway hammer queue-service.
 */
@ApplicationScoped
public class JwksKeySource implements AdmissionSigningKeys {

    private static final Logger LOG = Logger.getLogger(JwksKeySource.class);
    private static final long MAX_RETRY_DELAY_MILLIS = 30_000;
    private static final int MIN_RSA_BITS = 2048;

    private final Vertx vertx;
    private final UpstreamClients clients;
    private final GatewayConfig.Jwt config;
    private final long connectTimeoutMillis;

    private volatile VerificationKeys keys = VerificationKeys.NONE;
    private Future<VerificationKeys> inFlight;   // guarded by this
    private long lastAttemptMillis;              // guarded by this
    private volatile boolean stopped;
    private long periodicTimer = -1;

    public JwksKeySource(Vertx vertx, UpstreamClients clients, GatewayConfig config) {
        this.vertx = vertx;
        this.clients = clients;
        this.config = config.jwt();
        this.connectTimeoutMillis = config.proxy().connectTimeout().toMillis();
    }

    void onStart(@Observes StartupEvent event) {
        loadUntilLoaded(500);
        long every = config.jwksRefreshInterval().toMillis();
        // a Vert.x timer, not @Scheduled: the fetch is a non-blocking Vert.x request whose Future the refresh shares
        periodicTimer = vertx.setPeriodic(every, every, id -> fetch());
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
        if (periodicTimer >= 0) {
            vertx.cancelTimer(periodicTimer);
        }
    }

    @Override
    public VerificationKeys current() {
        return keys;
    }

    @Override
    public synchronized Future<VerificationKeys> refresh() {
        if (inFlight != null) {
            return inFlight;
        }
        if (System.currentTimeMillis() - lastAttemptMillis < config.jwksMinRefreshInterval().toMillis()) {
            VerificationKeys now = keys;
            return now.isEmpty()
                    ? Future.failedFuture("the token signing keys of queue-service are not available yet")
                    : Future.succeededFuture(now);
        }
        return fetch();
    }

    private void loadUntilLoaded(long delayMillis) {
        if (stopped) {
            return;
        }
        fetch().onFailure(e -> {
            if (keys.isEmpty() && !stopped) {
                LOG.warnf("Cannot fetch the token signing keys from %s yet (%s); retrying in %d ms",
                        jwksUrl(), e.getMessage(), delayMillis);
                vertx.setTimer(delayMillis, id -> loadUntilLoaded(Math.min(delayMillis * 2, MAX_RETRY_DELAY_MILLIS)));
            }
        });
    }

    private synchronized Future<VerificationKeys> fetch() {
        if (inFlight != null) {
            return inFlight;
        }
        lastAttemptMillis = System.currentTimeMillis();
        ServiceEndpoint queue = clients.endpoint(Upstream.QUEUE);
        Promise<VerificationKeys> promise = Promise.promise();
        inFlight = promise.future();
        clients.internalClient()
                .request(queue.get(config.jwksPath(), connectTimeoutMillis, 5_000))
                .compose(HttpClientRequest::send)
                .compose(JwksKeySource::okBody)
                .map(body -> parse(body.toString(StandardCharsets.UTF_8)))
                .onComplete(ar -> {
                    synchronized (this) {
                        inFlight = null;
                    }
                    if (ar.succeeded()) {
                        VerificationKeys previous = keys;
                        keys = merge(previous, ar.result(), config.retiredKeyRetention().toMillis());
                        if (!previous.byKeyId().keySet().equals(keys.byKeyId().keySet())) {
                            LOG.infof("Token signing keys loaded from %s: %s", jwksUrl(), keys.byKeyId().keySet());
                        }
                        promise.complete(keys);
                    } else {
                        promise.fail(ar.cause());
                    }
                });
        return promise.future();
    }

    /**
     * The keys just fetched, plus those fetched before that were last seen within {@code retentionMillis}: a
     * replica that does not (or no longer, or not yet) publish a key does not make the gateway forget it.
     */
    static VerificationKeys merge(VerificationKeys previous, VerificationKeys fetched, long retentionMillis) {
        Map<String, RSAPublicKey> byKeyId = new HashMap<>(fetched.byKeyId());
        Map<String, Long> lastSeen = new HashMap<>();
        fetched.byKeyId().keySet().forEach(kid -> lastSeen.put(kid, fetched.fetchedAtMillis()));
        previous.byKeyId().forEach((kid, key) -> {
            long seen = previous.lastSeenMillis().getOrDefault(kid, previous.fetchedAtMillis());
            if (!byKeyId.containsKey(kid) && fetched.fetchedAtMillis() - seen <= retentionMillis) {
                byKeyId.put(kid, key);
                lastSeen.put(kid, seen);
            }
        });
        return new VerificationKeys(byKeyId, lastSeen, fetched.fetchedAtMillis());
    }

    private static Future<Buffer> okBody(HttpClientResponse response) {
        if (response.statusCode() != 200) {
            return response.body().compose(ignored ->
                    Future.failedFuture("queue-service answered " + response.statusCode() + " for its JWKS"));
        }
        return response.body();
    }

    /** Keeps the RSA signing keys of the set; a set with none is an error (the current keys are kept). */
    static VerificationKeys parse(String json) {
        JsonWebKeySet set;
        try {
            set = new JsonWebKeySet(json);
        } catch (JoseException e) {
            throw new IllegalStateException("the JWKS is not valid: " + e.getMessage(), e);
        }
        Map<String, RSAPublicKey> byKeyId = new HashMap<>();
        for (JsonWebKey key : set.getJsonWebKeys()) {
            if (key instanceof RsaJsonWebKey rsa && rsa.getKeyId() != null
                    && (rsa.getUse() == null || "sig".equals(rsa.getUse()))
                    && (rsa.getAlgorithm() == null || "RS256".equals(rsa.getAlgorithm()))
                    && rsa.getRsaPublicKey().getModulus().bitLength() >= MIN_RSA_BITS) {
                byKeyId.put(rsa.getKeyId(), rsa.getRsaPublicKey());
            }
        }
        if (byKeyId.isEmpty()) {
            throw new IllegalStateException("the JWKS has no RS256 signing key with a key id");
        }
        return new VerificationKeys(byKeyId, System.currentTimeMillis());
    }

    private String jwksUrl() {
        return clients.replicas(Upstream.QUEUE).urls() + " " + config.jwksPath();
    }
}
