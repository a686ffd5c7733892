package io.concertticket.gateway.api;

import io.concertticket.gateway.application.AuthenticateAdmissionToken;
import io.concertticket.gateway.application.AuthenticateIdentityToken;
import io.concertticket.gateway.application.IssueHopToken;
import io.concertticket.gateway.domain.KeysUnavailableException;
import io.concertticket.gateway.domain.Account;
import io.concertticket.gateway.domain.AdmissionToken;
import io.concertticket.gateway.domain.ClientRateLimiter;
import io.concertticket.gateway.domain.HopGrant;
import io.concertticket.gateway.domain.Route;
import io.concertticket.gateway.domain.TokenRejectedException;
import io.concertticket.gateway.infrastructure.ConnectionPermits;
import io.concertticket.gateway.infrastructure.GatewayConfig;
import io.concertticket.gateway.infrastructure.ServiceEndpoint;
import io.concertticket.gateway.infrastructure.ServiceReplicas;
import io.concertticket.gateway.infrastructure.UpstreamClients;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.vertx.http.runtime.RouteConstants;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import static io.concertticket.gateway.api.GatewayHeaders.ADMISSION_TOKEN;
import static io.concertticket.gateway.api.GatewayHeaders.CHUNKED;
import static io.concertticket.gateway.api.GatewayHeaders.CLOSE;
import static io.concertticket.gateway.api.GatewayHeaders.RETRY_AFTER;
import static io.concertticket.gateway.api.GatewayHeaders.TRACEPARENT;
import static io.concertticket.gateway.api.GatewayHeaders.TRACESTATE;
import static io.concertticket.gateway.api.GatewayHeaders.WWW_AUTHENTICATE;
import static io.concertticket.gateway.api.GatewayHeaders.X_CONCERT_ID;
import static io.concertticket.gateway.api.GatewayHeaders.X_FORWARDED_FOR;
import static io.concertticket.gateway.api.GatewayHeaders.X_REQUEST_ID;
import static io.concertticket.gateway.api.GatewayHeaders.X_TOKEN_ID;
import static io.concertticket.gateway.api.GatewayHeaders.X_USER_ID;

/**
 * The public API: every {@code /api/**} request is routed ({@link Route}), checked (body size, credentials,
 * per-client rate) and streamed to its service by the Vert.x HTTP proxy, all on the event loop.
 *
 * <p>Credentials (docs/identity.md): the identity token ({@code Authorization: Bearer}) on every route but
 * the public concert list; the admission token ({@code Admission-Token}) of the same account on sale routes;
 * the {@code operator} role on the operator API. What was verified reaches the service only as the gateway's
 * own hop token, which replaces the client's {@code Authorization}; {@code Admission-Token} and identity
 * headers a client sent never reach a service. Nothing outside the public routes (the services' {@code /q/**},
 * {@code /admin/**}) is ever forwarded.
 *
 * <p>Forwarding is transport, not a use case: the request is streamed to a replica on infrastructure's pooled
 * client ({@link UpstreamClients}, {@link ServiceReplicas}) straight from here. A port in between would have to
 * take Vert.x's request and response as they are (saying nothing the proxy does not say) or copy every request
 * into a value of its own, work and an allocation on the hot path; the use cases a request goes through
 * (identity, admission, hop token) are reached through application as everywhere else.
 */
@ApplicationScoped
public class GatewayRoutes {

    private static final Logger LOG = Logger.getLogger(GatewayRoutes.class);
    private static final String CHALLENGE = "Bearer realm=\"concert-platform\"";
    private static final String NO_CREDENTIAL = "none";
    private static final String CHALLENGE_INVALID = "Bearer realm=\"concert-platform\", error=\"invalid_token\"";

    private final UpstreamClients clients;
    private final AuthenticateIdentityToken identities;
    private final AuthenticateAdmissionToken admissions;
    private final IssueHopToken hopTokens;
    private final ClientRateLimiter rateLimiter;
    private final boolean rateLimited;
    private final int trustedProxies;
    private final long maxBodyBytes;
    private final MeterRegistry meters;

    public GatewayRoutes(UpstreamClients clients, AuthenticateIdentityToken identities,
                         AuthenticateAdmissionToken admissions, IssueHopToken hopTokens,
                         ClientRateLimiter rateLimiter, GatewayConfig config, MeterRegistry meters) {
        this.clients = clients;
        this.identities = identities;
        this.admissions = admissions;
        this.hopTokens = hopTokens;
        this.rateLimiter = rateLimiter;
        this.rateLimited = config.rateLimit().enabled();
        this.trustedProxies = config.rateLimit().trustedProxies();
        this.maxBodyBytes = config.proxy().maxBodySize().asLongValue();
        this.meters = meters;
    }

    /**
     * Right after the handlers Quarkus puts first (request start time and access log, order
     * {@code Integer.MIN_VALUE}; a body handler, {@code MIN_VALUE + 1}), ahead of Quarkus' HTTP security,
     * OIDC and body-limit handlers (orders from -200 up). Those do nothing for these routes: the gateway checks
     * every credential itself (identity tokens through quarkus-oidc's {@code TenantIdentityProvider}, called
     * from here), Quarkus' authentication is not proactive, no HTTP permission is configured, and the body
     * limit is the gateway's own ({@code gateway.proxy.max-body-size}). Skipping them saves five router steps
     * on every request (docs/performance.md, finding 6).
     */
    static final int ROUTE_ORDER = RouteConstants.ROUTE_ORDER_BODY_HANDLER + 1;

    void init(@Observes Router router) {
        router.route("/api/*").order(ROUTE_ORDER).handler(this::handle);
        router.route("/api").order(ROUTE_ORDER).handler(this::handle);
        // Services' own operator endpoints are never on the public entry; say so in problem JSON.
        router.route("/admin/*").order(ROUTE_ORDER).handler(this::handle);
        router.route("/admin").order(ROUTE_ORDER).handler(this::handle);
    }

    void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        HttpServerResponse response = rc.response();
        String requestId = RequestIds.of(request);
        response.putHeader(X_REQUEST_ID, requestId);
        String path = rc.normalizedPath();

        Route route = Route.of(request.method().name(), path);
        if (route == null) {
            Problems.send(response, 404, "not-found", "Not Found",
                    "no public API route matches " + request.method() + " " + path, path, requestId);
            return;
        }
        String contentLength = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (contentLength != null && !bodySizeAcceptable(contentLength, response, path, requestId)) {
            return;
        }
        if (!route.needsIdentity()) {
            forward(rc, route, path, requestId, null);
            return;
        }
        Request call = new Request(rc, route, path, requestId);
        String jwt;
        Account account;
        try {
            jwt = AuthenticateIdentityToken.bearerToken(request.getHeader(HttpHeaders.AUTHORIZATION));
            account = identities.cached(jwt, System.currentTimeMillis());
        } catch (TokenRejectedException e) {
            unauthorized(call, e, Credential.IDENTITY);
            return;
        }
        if (account != null) {
            signedIn(call, account);
            return;
        }
        // Not signed in yet: the signature check of a token not seen before is taken from the client
        // address's budget and given back when the token is valid, so an address whose tokens keep failing is
        // limited (forged-token floods), while valid tokens never use it up (a shared NAT is no problem).
        String address = "address:" + clientAddress(request);
        if (rateLimited && limited(call, address)) {
            return;
        }
        whenVerified(call, identities.verify(jwt), Credential.IDENTITY, verified -> {
            if (rateLimited) {
                rateLimiter.giveBack(address);
            }
            signedIn(call, verified);
        });
    }

    private void signedIn(Request call, Account account) {
        if (rateLimited && limited(call, "account:" + account.id())) {
            return;
        }
        switch (call.route.access()) {
            case OPERATOR -> {
                if (!account.isOperator()) {
                    forbidden(call, "operator-role-required", "the operator API needs an account with the operator role");
                    return;
                }
            }
            case ACCOUNT_OWNER -> {
                if (!account.isNamedBy(Route.walletOwner(call.path))) {
                    forbidden(call, "forbidden", "a wallet is reachable only by its own account (or as 'me')");
                    return;
                }
            }
            case ADMISSION -> {
                admitted(call, account);
                return;
            }
            default -> {
            }
        }
        forward(call, new HopGrant(account, null, call.route.upstream()));
    }

    /** Sale routes: the admission token must be valid and the signed-in account's own. */
    private void admitted(Request call, Account account) {
        String header = call.rc.request().getHeader(ADMISSION_TOKEN);
        if (header == null || header.isBlank()) {
            forbidden(call, "admission-required",
                    "this route needs the admission token from the waiting room: Admission-Token: <accessToken>");
            return;
        }
        try {
            withAdmission(call, account, admissions.authenticate(header, System.currentTimeMillis()));
        } catch (TokenRejectedException e) {
            if (e.reason() == TokenRejectedException.Reason.UNKNOWN_KEY) {
                // queue-service's keys may have rotated: refetch them (rate limited) and decide then
                whenVerified(call, admissions.authenticateAfterKeyRefresh(header), Credential.ADMISSION,
                        token -> withAdmission(call, account, token));
            } else {
                unauthorized(call, e, Credential.ADMISSION);
            }
        }
    }

    private void withAdmission(Request call, Account account, AdmissionToken admission) {
        if (!admission.accountId().equals(account.id())) {
            // e.g. a token copied from another buyer: it admits that account, not this one
            forbidden(call, "admission-for-other-account",
                    "the admission token was issued to another account than the one signed in");
            return;
        }
        forward(call, new HopGrant(account, admission, call.route.upstream()));
    }

    /** Continues on the request's own context once a verification completes; the request waits paused. */
    private <T> void whenVerified(Request call, Future<T> verification, Credential credential, Consumer<T> next) {
        HttpServerRequest request = call.rc.request();
        request.pause();
        Context context = Vertx.currentContext();
        verification.onComplete(ar -> context.runOnContext(v -> {
            if (ar.succeeded()) {
                next.accept(ar.result());
                return;
            }
            request.resume();
            Throwable cause = ar.cause();
            if (cause instanceof TokenRejectedException rejected) {
                unauthorized(call, rejected, credential);
            } else if (cause instanceof KeysUnavailableException unavailable) {
                refused(503, "keys-unavailable", credential.code);
                call.rc.response().putHeader(RETRY_AFTER, "5");
                Problems.send(call.rc.response(), 503, "service-unavailable", "Service Unavailable",
                        unavailable.getMessage(), call.path, call.requestId, "service", unavailable.source());
            } else {
                LOG.errorf(cause, "Authenticating request %s failed", call.requestId);
                Problems.send(call.rc.response(), 500, "internal-error", "Internal Server Error",
                        "the gateway failed unexpectedly; quote the request id", call.path, call.requestId);
            }
        }));
    }

    private boolean limited(Request call, String client) {
        long waitNanos = rateLimiter.tryAcquire(client, System.nanoTime());
        if (waitNanos <= 0) {
            return false;
        }
        long seconds = Math.max(1L, (waitNanos + 999_999_999L) / 1_000_000_000L);
        refused(429, "rate-limited", NO_CREDENTIAL);
        call.rc.response().putHeader(RETRY_AFTER, Long.toString(seconds));
        Problems.send(call.rc.response(), 429, "rate-limited", "Too Many Requests",
                "too many requests from this client; retry after " + seconds + " s",
                call.path, call.requestId, "retryAfterSeconds", seconds);
        return true;
    }

    private void forward(Request call, HopGrant grant) {
        forward(call.rc, call.route, call.path, call.requestId, hopTokens.hopToken(grant, System.currentTimeMillis()));
    }

    private void forward(RoutingContext rc, Route route, String path, String requestId, String hopToken) {
        HttpServerRequest request = rc.request();
        ServiceReplicas replicas = clients.replicas(route.upstream());
        ServiceEndpoint service = replicas.next();
        ProxyRequest proxyRequest = ProxyRequest.reverseProxy(request);   // pauses the request, copies headers
        MultiMap headers = proxyRequest.headers();
        // What the client claims about itself never reaches a service (case-insensitive removal): the
        // service trusts only the hop token, which replaces the client's Authorization.
        headers.remove(HttpHeaders.AUTHORIZATION);
        headers.remove(ADMISSION_TOKEN);
        headers.remove(X_USER_ID);
        headers.remove(X_CONCERT_ID);
        headers.remove(X_TOKEN_ID);
        // The trace goes on as the gateway's: Quarkus' Vert.x tracer gives the proxy's call the traceparent of its
        // client span (the client's trace, the gateway's span as parent); the client's copy would be a second value.
        headers.remove(TRACEPARENT);
        headers.remove(TRACESTATE);
        if (hopToken != null) {
            headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + hopToken);
        }
        headers.set(X_REQUEST_ID, requestId);
        // 100-continue is settled between the client and the gateway (handled automatically), not passed on.
        headers.remove(HttpHeaders.EXPECT);
        String clientAddress = request.remoteAddress().hostAddress();
        String forwardedFor = headers.get(X_FORWARDED_FOR);
        headers.set(X_FORWARDED_FOR, forwardedFor == null ? clientAddress : forwardedFor + ", " + clientAddress);
        proxyRequest.setURI(service.uri(upstreamPathAndQuery(request, path)));

        LimitedBodyStream limitedBody = null;
        boolean retriable = retriable(request);
        if (retriable) {
            // Nothing to stream: without a body the proxy request can be sent a second time.
            proxyRequest.setBody(null);
            request.resume();
        } else if (request.getHeader(HttpHeaders.CONTENT_LENGTH) == null
                && request.headers().contains(HttpHeaders.TRANSFER_ENCODING, CHUNKED, true)) {
            limitedBody = new LimitedBodyStream(request, maxBodyBytes);
            proxyRequest.setBody(Body.body(limitedBody, -1));
        }
        send(rc, proxyRequest, replicas, service, path, requestId, limitedBody, clients.proxyClient(), retriable,
                replicas.size() - 1);
    }

    private void send(RoutingContext rc, ProxyRequest proxyRequest, ServiceReplicas replicas, ServiceEndpoint service,
                      String path, String requestId, LimitedBodyStream body, HttpClient client, boolean mayRetry,
                      int otherReplicasLeft) {
        // a connection of the replica's, or a wait for one (bounded, in order), or 503 if the wait is over or too long
        service.permits().acquire(
                permit -> exchange(permit, rc, proxyRequest, replicas, service, path, requestId, body, client, mayRetry, otherReplicasLeft),
                refused -> failed(rc, proxyRequest, service, body, refused, path, requestId));
    }

    /** The request and its response on one of the replica's connections; the permit is released when that ends. */
    private void exchange(ConnectionPermits.Permit permit, RoutingContext rc, ProxyRequest proxyRequest, ServiceReplicas replicas,
                          ServiceEndpoint service, String path, String requestId, LimitedBodyStream body, HttpClient client,
                          boolean mayRetry, int otherReplicasLeft) {
        client.request(service.proxyOptions()).onComplete(connected -> {
            if (connected.failed()) {
                permit.release();
                Throwable cause = connected.cause();
                if (connect(cause)) {
                    replicas.connectFailed(service);
                    if (otherReplicasLeft > 0) {
                        // Refused (or not accepted in time): not a byte went out and the body is still unread, so
                        // any request, a payment too, may go to the next replica.
                        ServiceEndpoint other = replicas.after(service);
                        LOG.debugf("request %s: %s at %s refused the connection (%s); trying %s", requestId,
                                service.upstream().serviceName(), service.url(), cause, other.url());
                        meters.counter("gateway.upstream.failovers", "service", service.upstream().serviceName()).increment();
                        send(rc, proxyRequest, replicas, other, path, requestId, body, client, mayRetry, otherReplicasLeft - 1);
                        return;
                    }
                }
                if (mayRetry && closedBeforeAnswering(cause)) {
                    // the pooled connection handed out was closed by the service before the request went out on it
                    retryOnNewConnection(rc, proxyRequest, replicas, service, path, requestId, body, cause);
                } else {
                    failed(rc, proxyRequest, service, body, cause, path, requestId);
                }
                return;
            }
            replicas.connected(service);
            proxyRequest.send(connected.result()).onComplete(ar -> {
                if (ar.succeeded()) {
                    ProxyResponse proxyResponse = ar.result();
                    // Our X-Request-Id is already on the response; a service echoing it must not double it.
                    proxyResponse.headers().remove(X_REQUEST_ID);
                    String location = proxyResponse.headers().get(HttpHeaders.LOCATION);
                    if (location != null) {
                        proxyResponse.headers().set(HttpHeaders.LOCATION, publicLocation(location));
                    }
                    // the exchange ends when the answer has gone to the client (or could not)
                    proxyResponse.send().onComplete(sent -> permit.release());
                    return;
                }
                permit.release();
                if (mayRetry && closedBeforeAnswering(ar.cause())) {
                    // The service closed a pooled keep-alive connection as the request went out on it (its
                    // idle timeout, a restart, a crash): no byte of an answer came, and the request is safe to
                    // repeat - on another replica when there is one, since this one may be going down.
                    retryOnNewConnection(rc, proxyRequest, replicas, service, path, requestId, body, ar.cause());
                } else {
                    failed(rc, proxyRequest, service, body, ar.cause(), path, requestId);
                }
            });
        });
    }

    private void retryOnNewConnection(RoutingContext rc, ProxyRequest proxyRequest, ServiceReplicas replicas,
                                      ServiceEndpoint service, String path, String requestId, LimitedBodyStream body,
                                      Throwable cause) {
        ServiceEndpoint other = replicas.after(service);
        LOG.debugf("request %s: %s closed the connection before answering (%s); retrying once on a new connection to %s",
                requestId, service.upstream().serviceName(), cause, other.url());
        meters.counter("gateway.upstream.retries", "service", service.upstream().serviceName()).increment();
        send(rc, proxyRequest, replicas, other, path, requestId, body, clients.freshConnectionClient(), false,
                replicas.size() - 1);
    }

    private void failed(RoutingContext rc, ProxyRequest proxyRequest, ServiceEndpoint service, LimitedBodyStream body,
                        Throwable cause, String path, String requestId) {
        proxyRequest.release();
        if (body != null && body.exceeded()) {
            tooLarge(rc.response(), path, requestId);
        } else {
            serviceUnavailable(rc.response(), service, cause, path, requestId);
        }
    }

    /**
     * Getting a connection failed because the replica refused it or did not accept it in time: nothing was sent.
     * (Not a wait for a free pooled connection timing out: that replica is up, only busy.)
     */
    static boolean connect(Throwable cause) {
        return cause instanceof java.net.ConnectException;
    }

    /**
     * Safe to send twice: a GET, HEAD or OPTIONS without a body. (A payment with an Idempotency-Key would be safe
     * too, but its body has been streamed to the first connection already and is not kept.)
     */
    static boolean retriable(HttpServerRequest request) {
        HttpMethod method = request.method();
        if (!(HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) || HttpMethod.OPTIONS.equals(method))) {
            return false;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return (length == null || length.trim().equals("0")) && !request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    }

    /**
     * The connection went away before any byte of the response arrived: closed ({@code HttpClosedException},
     * a write to a closed channel) or reset. Not a refused connection or a timeout: a second try would only
     * double the wait (and a timed-out request may still be running at the service).
     */
    static boolean closedBeforeAnswering(Throwable cause) {
        if (cause instanceof io.vertx.core.http.HttpClosedException || cause instanceof java.nio.channels.ClosedChannelException) {
            return true;
        }
        if (cause instanceof java.net.ConnectException || !(cause instanceof java.io.IOException)) {
            return false;
        }
        String message = String.valueOf(cause.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return message.contains("connection reset") || message.contains("broken pipe");
    }

    /**
     * A service builds {@code Location} from its own (internal) address; the client gets it relative to the
     * gateway instead (RFC 9110 allows a relative reference), so no internal host or port leaks out.
     */
    static String publicLocation(String location) {
        try {
            java.net.URI uri = java.net.URI.create(location);
            if (!uri.isAbsolute()) {
                return location;
            }
            return uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
        } catch (IllegalArgumentException e) {
            return location;
        }
    }

    /**
     * The path the service gets is the normalized one the route was chosen by (dot segments resolved),
     * so {@code /api/v1/queue/../../q/health} can never reach a service's {@code /q/health}.
     */
    private static String upstreamPathAndQuery(HttpServerRequest request, String normalizedPath) {
        String uri = request.uri();
        if (normalizedPath.equals(request.path()) && !uri.isEmpty() && uri.charAt(0) == '/') {
            return uri;
        }
        String query = request.query();
        return query == null ? normalizedPath : normalizedPath + '?' + query;
    }

    private boolean bodySizeAcceptable(String contentLength, HttpServerResponse response, String path, String requestId) {
        long length;
        try {
            length = Long.parseLong(contentLength.trim());
        } catch (NumberFormatException e) {
            length = -1;
        }
        if (length < 0) {
            response.putHeader(HttpHeaders.CONNECTION, CLOSE);
            Problems.send(response, 400, "bad-request", "Bad Request",
                    "Content-Length is not a valid length", path, requestId);
            return false;
        }
        if (length > maxBodyBytes) {
            tooLarge(response, path, requestId);
            return false;
        }
        return true;
    }

    private void tooLarge(HttpServerResponse response, String path, String requestId) {
        // The rest of the body is not worth reading: close the connection after the answer.
        response.putHeader(HttpHeaders.CONNECTION, CLOSE);
        Problems.send(response, 413, "payload-too-large", "Content Too Large",
                "the request body is larger than " + maxBodyBytes + " bytes", path, requestId,
                "maxBodyBytes", maxBodyBytes);
    }

    private void serviceUnavailable(HttpServerResponse response, ServiceEndpoint service, Throwable cause,
                                    String path, String requestId) {
        String name = service.upstream().serviceName();
        // busy or restarting: worth trying again shortly, and saying so keeps well-behaved clients from hammering
        response.putHeader(RETRY_AFTER, "1");
        if (cause instanceof ConnectionPermits.ReplicaBusy) {
            // load shedding, not a fault: counted, and logged only at debug (a surge refuses thousands a second)
            LOG.debugf("request %s: %s busy (%s)", requestId, name, cause.getMessage());
            refused(503, "service-busy", NO_CREDENTIAL);
            Problems.send(response, 503, "service-unavailable", "Service Unavailable",
                    name + " is busy: every connection to it is in use; try again shortly", path, requestId, "service", name);
            return;
        }
        String message = String.valueOf(cause.getMessage());
        boolean timedOut = cause instanceof TimeoutException
                || message.toLowerCase(java.util.Locale.ROOT).contains("timeout")
                || message.toLowerCase(java.util.Locale.ROOT).contains("timed out");
        LOG.warnf("request %s: %s %s (%s)", requestId, name, timedOut ? "timed out" : "unreachable", message);
        refused(503, timedOut ? "service-timed-out" : "service-unreachable", NO_CREDENTIAL);
        Problems.send(response, 503, "service-unavailable", "Service Unavailable",
                timedOut ? name + " did not answer in time" : name + " is not reachable right now",
                path, requestId, "service", name);
    }

    private void unauthorized(Request call, TokenRejectedException e, Credential credential) {
        refused(401, e.reason().code(), credential.code);
        HttpServerResponse response = call.rc.response();
        response.putHeader(WWW_AUTHENTICATE, e.reason() == TokenRejectedException.Reason.MISSING ? CHALLENGE : CHALLENGE_INVALID);
        Problems.send(response, 401, "unauthorized", "Unauthorized", e.getMessage(), call.path, call.requestId,
                "reason", e.reason().code(), "credential", credential.code);
    }

    private void forbidden(Request call, String slug, String detail) {
        refused(403, slug, NO_CREDENTIAL);
        Problems.send(call.rc.response(), 403, slug, "Forbidden", detail, call.path, call.requestId);
    }

    /**
     * Counts a refusal in {@code gateway_refusals_total{status, reason, credential}} (docs/observability.md). Every
     * tag value is one of a fixed set: the 401 reasons of {@link TokenRejectedException.Reason}, the 403 slugs
     * written in this class, the credential's code or "none"; never anything a client sends.
     */
    private void refused(int status, String reason, String credential) {
        meters.counter("gateway.refusals", "status", Integer.toString(status), "reason", reason,
                "credential", credential).increment();
    }

    /**
     * The client's address: the right-most X-Forwarded-For entry beyond the trusted proxies (each appends
     * the address it received the request from), or the connection's peer without trusted proxies.
     * Entries further left are written by the client and never count, so they cannot dodge a limit.
     */
    String clientAddress(HttpServerRequest request) {
        String peer = request.remoteAddress().hostAddress();
        if (trustedProxies <= 0) {
            return peer;
        }
        String forwardedFor = request.getHeader(X_FORWARDED_FOR);
        if (forwardedFor == null || forwardedFor.isBlank()) {
            return peer;
        }
        // skip (trustedProxies - 1) entries from the right: the last proxy is the peer itself
        int end = forwardedFor.length();
        for (int skipped = 0; skipped < trustedProxies - 1; skipped++) {
            int comma = forwardedFor.lastIndexOf(',', end - 1);
            if (comma < 0) {
                return forwardedFor.substring(0, end).trim();   // fewer entries than proxies: the left-most
            }
            end = comma;
        }
        int comma = forwardedFor.lastIndexOf(',', end - 1);
        return forwardedFor.substring(comma + 1, end).trim();
    }

    /** Which credential a 401 is about (the problem's {@code credential}). */
    private enum Credential {
        IDENTITY("identity-token"),
        ADMISSION("admission-token");

        private final String code;

        Credential(String code) {
            this.code = code;
        }
    }

    /** One request on its way through the checks. */
    private record Request(RoutingContext rc, Route route, String path, String requestId) {
    }
}
