package io.concertticket.gateway.api;

import io.concertticket.gateway.application.AuthenticateAccessToken;
import io.concertticket.gateway.application.AuthenticateAccessToken.KeysUnavailableException;
import io.concertticket.gateway.domain.AccessToken;
import io.concertticket.gateway.domain.ClientRateLimiter;
import io.concertticket.gateway.domain.Route;
import io.concertticket.gateway.domain.TokenRejectedException;
import io.concertticket.gateway.infrastructure.GatewayConfig;
import io.concertticket.gateway.infrastructure.ServiceEndpoint;
import io.concertticket.gateway.infrastructure.UpstreamClients;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import static io.concertticket.gateway.api.GatewayHeaders.CHUNKED;
import static io.concertticket.gateway.api.GatewayHeaders.CLOSE;
import static io.concertticket.gateway.api.GatewayHeaders.RETRY_AFTER;
import static io.concertticket.gateway.api.GatewayHeaders.WWW_AUTHENTICATE;
import static io.concertticket.gateway.api.GatewayHeaders.X_CONCERT_ID;
import static io.concertticket.gateway.api.GatewayHeaders.X_FORWARDED_FOR;
import static io.concertticket.gateway.api.GatewayHeaders.X_REQUEST_ID;
import static io.concertticket.gateway.api.GatewayHeaders.X_TOKEN_ID;
import static io.concertticket.gateway.api.GatewayHeaders.X_USER_ID;

/**
 * The public API: every {@code /api/**} request is routed ({@link Route}), checked (body size, per-client
 * rate, access token) and streamed to its service by the Vert.x HTTP proxy, all on the event loop.
 * Identity headers a client sent are dropped on every route; on protected routes they are set from the
 * verified token. Nothing outside the public routes (the services' {@code /q/**}, {@code /admin/**}) is
 * ever forwarded.
 */
@ApplicationScoped
public class GatewayRoutes {

    private static final Logger LOG = Logger.getLogger(GatewayRoutes.class);

    private final UpstreamClients clients;
    private final AuthenticateAccessToken authenticate;
    private final ClientRateLimiter rateLimiter;
    private final boolean rateLimited;
    private final boolean trustForwardedFor;
    private final long maxBodyBytes;

    public GatewayRoutes(UpstreamClients clients, AuthenticateAccessToken authenticate,
                         ClientRateLimiter rateLimiter, GatewayConfig config) {
        this.clients = clients;
        this.authenticate = authenticate;
        this.rateLimiter = rateLimiter;
        this.rateLimited = config.rateLimit().enabled();
        this.trustForwardedFor = config.rateLimit().trustForwardedFor();
        this.maxBodyBytes = config.proxy().maxBodySize().asLongValue();
    }

    void init(@Observes Router router) {
        router.route("/api/*").handler(this::handle);
        router.route("/api").handler(this::handle);
        // Operator endpoints exist on every service, never on the public entry; say so in problem JSON.
        router.route("/admin/*").handler(this::handle);
        router.route("/admin").handler(this::handle);
    }

    void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        HttpServerResponse response = rc.response();
        String requestId = RequestIds.of(request);
        response.putHeader(X_REQUEST_ID, requestId);
        String path = rc.normalizedPath();

        Route route = Route.of(path);
        if (route == null) {
            Problems.send(response, 404, "not-found", "Not Found",
                    "no public API route matches " + request.method() + " " + path, path, requestId);
            return;
        }
        String contentLength = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (contentLength != null && !bodySizeAcceptable(contentLength, response, path, requestId)) {
            return;
        }
        if (rateLimited && route.rateLimited()) {
            long waitNanos = rateLimiter.tryAcquire(clientOf(request), System.nanoTime());
            if (waitNanos > 0) {
                long seconds = Math.max(1L, (waitNanos + 999_999_999L) / 1_000_000_000L);
                response.putHeader(RETRY_AFTER, Long.toString(seconds));
                Problems.send(response, 429, "rate-limited", "Too Many Requests",
                        "too many queue requests from this client; retry after " + seconds + " s",
                        path, requestId, "retryAfterSeconds", seconds);
                return;
            }
        }
        if (!route.requiresToken()) {
            forward(rc, route, path, requestId, null);
            return;
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        AccessToken token;
        try {
            token = authenticate.authenticate(authorization, System.currentTimeMillis());
        } catch (TokenRejectedException e) {
            if (e.reason() == TokenRejectedException.Reason.UNKNOWN_KEY) {
                authenticateAfterKeyRefresh(rc, route, path, requestId, authorization);
            } else {
                unauthorized(response, e, path, requestId);
            }
            return;
        }
        forwardAuthenticated(rc, route, path, requestId, token);
    }

    /** Keys may have rotated: refetch them (asynchronously, the request waits paused), then decide. */
    private void authenticateAfterKeyRefresh(RoutingContext rc, Route route, String path, String requestId,
                                             String authorization) {
        HttpServerRequest request = rc.request();
        request.pause();
        Context context = Vertx.currentContext();
        authenticate.authenticateAfterKeyRefresh(authorization).onComplete(ar -> context.runOnContext(v -> {
            if (ar.succeeded()) {
                forwardAuthenticated(rc, route, path, requestId, ar.result());
                return;
            }
            request.resume();
            Throwable cause = ar.cause();
            if (cause instanceof TokenRejectedException rejected) {
                unauthorized(rc.response(), rejected, path, requestId);
            } else if (cause instanceof KeysUnavailableException) {
                Problems.send(rc.response(), 503, "service-unavailable", "Service Unavailable",
                        "access tokens cannot be verified right now: " + cause.getMessage(), path, requestId,
                        "service", "queue-service");
            } else {
                LOG.errorf(cause, "Authenticating request %s failed", requestId);
                Problems.send(rc.response(), 500, "internal-error", "Internal Server Error",
                        "the gateway failed unexpectedly; quote the request id", path, requestId);
            }
        }));
    }

    private void forwardAuthenticated(RoutingContext rc, Route route, String path, String requestId, AccessToken token) {
        if (route.access() == Route.Access.ACCESS_TOKEN_OWNER && !token.userId().equals(Route.walletOwner(path))) {
            Problems.send(rc.response(), 403, "forbidden", "Forbidden",
                    "this access token belongs to another user; a wallet is reachable only by its owner",
                    path, requestId);
            return;
        }
        forward(rc, route, path, requestId, token);
    }

    private void forward(RoutingContext rc, Route route, String path, String requestId, AccessToken token) {
        HttpServerRequest request = rc.request();
        ServiceEndpoint service = clients.endpoint(route.upstream());
        ProxyRequest proxyRequest = ProxyRequest.reverseProxy(request);   // pauses the request, copies headers
        MultiMap headers = proxyRequest.headers();
        // Identity comes from the verified token only, never from the client (case-insensitive removal).
        headers.remove(X_USER_ID);
        headers.remove(X_CONCERT_ID);
        headers.remove(X_TOKEN_ID);
        headers.set(X_REQUEST_ID, requestId);
        // 100-continue is settled between the client and the gateway (handled automatically), not passed on.
        headers.remove(HttpHeaders.EXPECT);
        if (token != null) {
            headers.set(X_USER_ID, token.userId());
            headers.set(X_CONCERT_ID, token.concertIdHeader());
            headers.set(X_TOKEN_ID, token.tokenId());
        }
        String clientAddress = request.remoteAddress().hostAddress();
        String forwardedFor = headers.get(X_FORWARDED_FOR);
        headers.set(X_FORWARDED_FOR, forwardedFor == null ? clientAddress : forwardedFor + ", " + clientAddress);
        proxyRequest.setURI(service.uri(upstreamPathAndQuery(request, path)));

        LimitedBodyStream limitedBody = null;
        if (request.getHeader(HttpHeaders.CONTENT_LENGTH) == null
                && request.headers().contains(HttpHeaders.TRANSFER_ENCODING, CHUNKED, true)) {
            limitedBody = new LimitedBodyStream(request, maxBodyBytes);
            proxyRequest.setBody(Body.body(limitedBody, -1));
        }
        LimitedBodyStream body = limitedBody;
        HttpClient client = clients.proxyClient();
        client.request(service.proxyOptions())
                .compose(proxyRequest::send)
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        ProxyResponse proxyResponse = ar.result();
                        // Our X-Request-Id is already on the response; a service echoing it must not double it.
                        proxyResponse.headers().remove(X_REQUEST_ID);
                        proxyResponse.send();
                    } else {
                        proxyRequest.release();
                        if (body != null && body.exceeded()) {
                            tooLarge(rc.response(), path, requestId);
                        } else {
                            serviceUnavailable(rc.response(), service, ar.cause(), path, requestId);
                        }
                    }
                });
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
        String message = String.valueOf(cause.getMessage());
        boolean timedOut = message.toLowerCase(java.util.Locale.ROOT).contains("timeout")
                || message.toLowerCase(java.util.Locale.ROOT).contains("timed out");
        String name = service.upstream().serviceName();
        LOG.warnf("request %s: %s %s (%s)", requestId, name, timedOut ? "timed out" : "unreachable", message);
        // busy or restarting: worth trying again shortly, and saying so keeps well-behaved clients from hammering
        response.putHeader(RETRY_AFTER, "1");
        Problems.send(response, 503, "service-unavailable", "Service Unavailable",
                timedOut ? name + " did not answer in time" : name + " is not reachable right now",
                path, requestId, "service", name);
    }

    private static void unauthorized(HttpServerResponse response, TokenRejectedException e, String path, String requestId) {
        response.putHeader(WWW_AUTHENTICATE, e.reason() == TokenRejectedException.Reason.MISSING
                ? "Bearer realm=\"concert-platform\""
                : "Bearer realm=\"concert-platform\", error=\"invalid_token\"");
        Problems.send(response, 401, "unauthorized", "Unauthorized", e.getMessage(), path, requestId,
                "reason", e.reason().code());
    }

    private String clientOf(HttpServerRequest request) {
        if (trustForwardedFor) {
            String forwardedFor = request.getHeader(X_FORWARDED_FOR);
            if (forwardedFor != null && !forwardedFor.isBlank()) {
                int comma = forwardedFor.indexOf(',');
                return (comma < 0 ? forwardedFor : forwardedFor.substring(0, comma)).trim();
            }
        }
        return request.remoteAddress().hostAddress();
    }
}
