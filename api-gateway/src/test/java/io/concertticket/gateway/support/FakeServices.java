package io.concertticket.gateway.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real HTTP servers standing in for queue-, concert- and payment-service, so the gateway's real proxy is
 * exercised end to end. Each echoes what it received (method, URI, headers, body size) as JSON; queue
 * publishes the admission-token JWKS; concert answers 403 when the hop token's {@code concert_id} is not
 * the concert of the path (as the real service does); any path containing {@code /hang} is never answered, one containing {@code /busy} is
 * answered 503 as by a service whose database is busy (with {@code Retry-After: 3});
 * {@code /q/openapi} serves a small document; a query with {@code close-once=<id>} has its connection closed
 * unanswered the first time that query arrives (as by a service's idle timeout firing under it); every answer
 * says in {@code X-Fake-Connection-Request} how many requests its connection has carried (1 = a new one). A control server (URL in {@code test.fake.control-url}) lists
 * the URIs each service received through the proxy, stops and restarts a service, rotates the signing keys
 * ({@code /rotate}: k2 published beside k1; {@code /retire-first}: k1 no longer published),
 * and is also a minimal OpenID Connect issuer ({@code /issuer}: discovery document and JWKS with key
 * {@code idp-1}) whose identity tokens the tests mint with {@link Tokens#identity}. Identity tokens of the
 * real identity provider (Keycloak) are tested in {@code KeycloakIdentityTest}.
 *
 * <p>The test talks to this resource only through strings (config values, HTTP): Quarkus may load the
 * resource and the test in different class loaders.
 */
public class FakeServices implements QuarkusTestResourceLifecycleManager {

    public static final List<String> SERVICES = List.of("queue", "concert", "payment");
    /** How long a fake service takes to answer a request whose path contains {@code /slow}. */
    private static final java.time.Duration SLOW_ANSWER = java.time.Duration.ofMillis(300);
    private static final Pattern CONCERT_SCHEDULES = Pattern.compile("^/api/v1/concerts/(\\d+)/schedules.*");

    private Vertx vertx;
    private final Map<String, HttpServer> servers = new ConcurrentHashMap<>();
    private final Map<String, Integer> ports = new ConcurrentHashMap<>();
    private final Map<String, java.util.Queue<String>> seen = new ConcurrentHashMap<>();
    private volatile boolean rotated;
    /** After {@code /retire-first}: the JWKS publishes only k2, as queue-service after the last step of a key rotation. */
    private volatile boolean firstRetired;
    /** Init arg {@code retired-key-retention}: the gateway's {@code gateway.jwt.retired-key-retention} (default 15 min). */
    private String retiredKeyRetention;
    private volatile boolean replicasDisagree;
    private final java.util.concurrent.atomic.AtomicInteger jwksFetches = new java.util.concurrent.atomic.AtomicInteger();
    private KeyPair first;
    private KeyPair second;
    private KeyPair identityProvider;
    private String issuer;
    /** False with the init arg {@code fake-identity-provider=false}: the test uses the real one (Keycloak). */
    private boolean fakeIdentityProvider = true;
    /**
     * Init arg {@code second-replica}: that service (e.g. {@code concert}) runs as two replicas, the second one
     * named {@code concert-2} in the control calls, and the gateway gets both URLs.
     */
    private String secondReplica;
    /** Init arg {@code idle-timeout-ms}: the fake services close keep-alive connections idle this long (0 = never). */
    private int idleTimeoutMillis;
    /** Requests received so far on each connection (a retry on a fresh connection is its first). */
    private final Map<io.vertx.core.http.HttpConnection, java.util.concurrent.atomic.AtomicInteger> requestsOnConnection =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());
    private final java.util.Set<String> closedOnce = ConcurrentHashMap.newKeySet();

    @Override
    public void init(Map<String, String> initArgs) {
        fakeIdentityProvider = !"false".equals(initArgs.get("fake-identity-provider"));
        idleTimeoutMillis = Integer.parseInt(initArgs.getOrDefault("idle-timeout-ms", "0"));
        secondReplica = initArgs.get("second-replica");
        retiredKeyRetention = initArgs.get("retired-key-retention");
    }

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        first = rsa();
        second = rsa();
        identityProvider = rsa();
        Map<String, String> config = new HashMap<>();
        for (String service : SERVICES) {
            seen.put(service, new java.util.concurrent.ConcurrentLinkedQueue<>());
            int port = listen(service, 0);
            ports.put(service, port);
            String urls = "http://127.0.0.1:" + port;
            if (service.equals(secondReplica)) {
                String replica = service + "-2";
                seen.put(replica, new java.util.concurrent.ConcurrentLinkedQueue<>());
                int second = listen(replica, 0);
                ports.put(replica, second);
                urls += ",http://127.0.0.1:" + second;
            }
            config.put("gateway." + service + "-service-url", urls);
        }
        HttpServer control = vertx.createHttpServer().requestHandler(this::control);
        await(control.listen(0, "127.0.0.1"));
        config.put("test.fake.control-url", "http://127.0.0.1:" + control.actualPort());
        issuer = "http://127.0.0.1:" + control.actualPort() + "/issuer";
        if (fakeIdentityProvider) {
            config.put("quarkus.oidc.auth-server-url", issuer);
        }
        config.put("test.fake.issuer", issuer);
        config.put("test.fake.idp-key", Base64.getEncoder().encodeToString(identityProvider.getPrivate().getEncoded()));
        config.put("test.fake.key1", Base64.getEncoder().encodeToString(first.getPrivate().getEncoded()));
        config.put("test.fake.key2", Base64.getEncoder().encodeToString(second.getPrivate().getEncoded()));
        // A small rate limit so that flooding shows quickly; clients are told apart
        // by X-Forwarded-For so that tests do not share one bucket.
        // (generous for a loaded 2-core machine; the hang test waits for the response timeout once)
        config.put("gateway.proxy.connect-timeout", "5s");
        config.put("gateway.proxy.response-timeout", "4s");
        config.put("gateway.rate-limit.requests-per-second", "2");
        config.put("gateway.rate-limit.burst", "30");
        config.put("gateway.rate-limit.trusted-proxies", "1");
        config.put("gateway.jwt.jwks-min-refresh-interval", "100ms");
        if (retiredKeyRetention != null) {
            config.put("gateway.jwt.retired-key-retention", retiredKeyRetention);
        }
        return config;
    }

    @Override
    public void stop() {
        if (vertx != null) {
            await(vertx.close());
        }
    }

    private int listen(String service, int port) {
        return await(listenAsync(service, port));
    }

    private io.vertx.core.Future<Integer> listenAsync(String service, int port) {
        io.vertx.core.http.HttpServerOptions options = new io.vertx.core.http.HttpServerOptions()
                .setIdleTimeout(idleTimeoutMillis).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        HttpServer server = vertx.createHttpServer(options).requestHandler(request -> serve(service, request));
        return server.listen(port, "127.0.0.1").map(s -> {
            servers.put(service, s);
            return s.actualPort();
        });
    }

    private void serve(String replica, HttpServerRequest request) {
        String path = request.path();
        if (request.getHeader("X-Request-Id") != null && !path.contains("/bench")) {
            // came through the gateway's proxy (its own calls for keys and OpenAPI carry no request id)
            seen.get(replica).add(request.uri());
        }
        String service = replica.endsWith("-2") ? replica.substring(0, replica.length() - 2) : replica;
        request.response().putHeader("X-Fake-Replica", replica);
        if (path.contains("/hang")) {
            return; // never answers: the gateway must give up on its own
        }
        if (path.contains("/slow")) {
            // a request that takes the service a while (a database round trip under load): the connection stays busy
            vertx.setTimer(SLOW_ANSWER.toMillis(), t -> request.response().putHeader("content-type", "application/json")
                    .end("{\"status\":\"WAITING\",\"position\":42}"));
            return;
        }
        if (path.contains("/busy")) {
            // as a service whose connection pool ran dry (http-problem's CommonProblemMappers.serviceUnavailable)
            request.response().setStatusCode(503).putHeader("content-type", "application/problem+json").putHeader("Retry-After", "3")
                    .end("{\"type\":\"https://concert-platform.example/problems/service-unavailable\",\"title\":\"Service Unavailable\","
                            + "\"status\":503,\"detail\":\"" + service + "-service's database is busy\",\"service\":\"" + service + "-service\"}");
            return;
        }
        int onConnection = requestsOnConnection
                .computeIfAbsent(request.connection(), c -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
        String query = request.query() == null ? "" : request.query();
        if (query.contains("close-once=") && closedOnce.add(query)) {
            // as a service whose idle timeout fires while the request is on its way: closed, not a byte answered
            request.connection().close();
            return;
        }
        request.response().putHeader("X-Fake-Connection-Request", Integer.toString(onConnection));
        if ("queue".equals(service) && path.equals("/.well-known/jwks.json")) {
            JsonArray keys = new JsonArray();
            if (replicasDisagree) {
                // two queue-service replicas mid-rotation behind one Service: each fetch lands on either
                keys.add(jwksFetches.incrementAndGet() % 2 == 0 ? jwk("k1", first) : jwk("k2", second));
            } else {
                if (!firstRetired) {
                    keys.add(jwk("k1", first));
                }
                if (rotated || firstRetired) {
                    keys.add(jwk("k2", second));
                }
            }
            request.response().putHeader("content-type", "application/json").end(new JsonObject().put("keys", keys).encode());
            return;
        }
        if (path.equals("/q/openapi")) {
            request.response().putHeader("content-type", "application/json").end(OpenApiFixtures.document(service));
            return;
        }
        if (path.contains("/bench")) {
            request.response().putHeader("content-type", "application/json")
                    .end("{\"status\":\"WAITING\",\"position\":42,\"estimatedWaitSeconds\":12}");
            return;
        }
        Matcher schedules = CONCERT_SCHEDULES.matcher(path);
        if ("concert".equals(service) && schedules.matches()
                && !schedules.group(1).equals(admittedConcert(request.getHeader("Authorization")))) {
            request.response().setStatusCode(403).putHeader("content-type", "application/problem+json")
                    .end("{\"type\":\"https://concert-platform.example/problems/other-concert\",\"title\":\"Forbidden\","
                            + "\"status\":403,\"detail\":\"the access token is for another concert\"}");
            return;
        }
        if ("concert".equals(service) && "GET".equals(request.method().name())
                && (path.equals("/api/v1/concerts") || schedules.matches())) {
            // the catalogue as concert-service serves it: ETag, Cache-Control, and 304 for a matching If-None-Match
            String etag = schedules.matches() ? "\"schedules-" + schedules.group(1) + "\"" : "\"concerts-v1\"";
            request.response().putHeader("ETag", etag)
                    .putHeader("Cache-Control", schedules.matches() ? "private, max-age=5" : "public, max-age=5");
            if (etag.equals(request.getHeader("If-None-Match"))) {
                request.response().setStatusCode(304).end();
                return;
            }
        }
        request.body().onSuccess(body -> {
            JsonObject headers = new JsonObject();
            request.headers().names().forEach(name -> headers.put(name.toLowerCase(), String.join(",", request.headers().getAll(name))));
            request.response().putHeader("content-type", "application/json")
                    .putHeader("X-Request-Id", "echoed-by-" + service)
                    .end(new JsonObject()
                            .put("service", service)
                            .put("method", request.method().name())
                            .put("uri", request.uri())
                            .put("headers", headers)
                            .put("bodyBytes", body.length())
                            .encode());
        });
    }

    /** The hop token's concert_id (the fake trusts the gateway; the tests verify hop tokens themselves). */
    private static String admittedConcert(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return null;
        }
        String[] parts = authorization.substring(7).split("\\.");
        if (parts.length != 3) {
            return null;
        }
        JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8));
        Object concert = claims.getValue("concert_id");
        return concert == null ? null : concert.toString();
    }

    private void control(HttpServerRequest request) {
        String service = request.getParam("service");
        switch (request.path()) {
            case "/issuer/.well-known/openid-configuration" -> request.response().putHeader("content-type", "application/json")
                    .end(new JsonObject().put("issuer", issuer).put("jwks_uri", issuer + "/jwks")
                            .put("token_endpoint", issuer + "/token")
                            .put("id_token_signing_alg_values_supported", new JsonArray().add("RS256")).encode());
            case "/issuer/jwks" -> request.response().putHeader("content-type", "application/json")
                    .end(new JsonObject().put("keys", new JsonArray().add(jwk("idp-1", identityProvider))).encode());
            case "/seen" -> request.response().end(new JsonArray(List.copyOf(seen.get(service))).encode());
            case "/stop" -> servers.get(service).close().onComplete(ar -> request.response().end("stopped"));
            case "/start" -> listenAsync(service, ports.get(service)).onComplete(ar ->
                    request.response().setStatusCode(ar.succeeded() ? 200 : 500).end(ar.succeeded() ? "started" : ar.cause().toString()));
            case "/rotate" -> {
                rotated = true;
                request.response().end("rotated");
            }
            case "/retire-first" -> {
                firstRetired = true;
                request.response().end("k1 retired");
            }
            case "/replicas-disagree" -> {
                replicasDisagree = Boolean.parseBoolean(request.getParam("on"));
                request.response().end(Integer.toString(jwksFetches.get()));
            }
            default -> request.response().setStatusCode(404).end();
        }
    }

    private static JsonObject jwk(String kid, KeyPair pair) {
        RSAPublicKey key = (RSAPublicKey) pair.getPublic();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return new JsonObject().put("kty", "RSA").put("kid", kid).put("use", "sig").put("alg", "RS256")
                .put("n", b64.encodeToString(unsigned(key.getModulus().toByteArray())))
                .put("e", b64.encodeToString(unsigned(key.getPublicExponent().toByteArray())));
    }

    private static byte[] unsigned(byte[] bytes) {
        return bytes.length > 1 && bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T await(io.vertx.core.Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
