package io.concertticket.gateway.infrastructure;

import io.concertticket.gateway.domain.Upstream;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.net.URI;

/**
 * Where one service is reached: host, port, TLS and an optional base path, from a configured URL such
 * as {@code http://concert-service:8080} (Kubernetes service names work as they are).
 */
public final class ServiceEndpoint {

    private final Upstream upstream;
    private final String url;
    private final String host;
    private final int port;
    private final boolean ssl;
    private final String basePath;
    private final RequestOptions proxyOptions;
    private final ConnectionPermits permits;

    private ServiceEndpoint(Upstream upstream, String url, String host, int port, boolean ssl, String basePath,
                            long responseTimeoutMillis, ConnectionPermits permits) {
        this.upstream = upstream;
        this.url = url;
        this.host = host;
        this.port = port;
        this.ssl = ssl;
        this.basePath = basePath;
        this.permits = permits;
        // Shared by every proxied request to this service and never modified after this point. No wait limit in
        // Vert.x's pool (0): requests wait for a connection in the permits instead (ConnectionPermits says why).
        this.proxyOptions = options(0, responseTimeoutMillis);
    }

    /** @param permits how many requests may use this replica's connections at once, and how the others wait */
    public static ServiceEndpoint parse(Upstream upstream, String url, long responseTimeoutMillis, ConnectionPermits permits) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(upstream.serviceName() + " URL is not a URL: " + url, e);
        }
        String scheme = uri.getScheme();
        if (uri.getHost() == null || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
            throw new IllegalArgumentException(upstream.serviceName() + " URL must be http(s)://host[:port][/base]: " + url);
        }
        boolean ssl = "https".equalsIgnoreCase(scheme);
        int port = uri.getPort() > 0 ? uri.getPort() : (ssl ? 443 : 80);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return new ServiceEndpoint(upstream, url, uri.getHost(), port, ssl, path, responseTimeoutMillis, permits);
    }

    /** Options of a proxied request to this service; the URI is set on the request itself. */
    public RequestOptions proxyOptions() {
        return proxyOptions;
    }

    /** Taken before a proxied request uses one of this replica's connections, released when its exchange ends. */
    public ConnectionPermits permits() {
        return permits;
    }

    /** Options of a one-off GET (keys, OpenAPI) with its own timeouts. */
    public RequestOptions get(String pathAndQuery, long connectTimeoutMillis, long timeoutMillis) {
        return options(connectTimeoutMillis, timeoutMillis).setMethod(HttpMethod.GET).setURI(uri(pathAndQuery));
    }

    /** The request URI at the service for a path of the public API (plus query). */
    public String uri(String pathAndQuery) {
        return basePath.isEmpty() ? pathAndQuery : basePath + pathAndQuery;
    }

    public Upstream upstream() {
        return upstream;
    }

    public String url() {
        return url;
    }

    private RequestOptions options(long connectTimeoutMillis, long idleTimeoutMillis) {
        return new RequestOptions()
                .setHost(host)
                .setPort(port)
                .setSsl(ssl)
                .setConnectTimeout(connectTimeoutMillis)
                .setIdleTimeout(idleTimeoutMillis);
    }
}
