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

    private ServiceEndpoint(Upstream upstream, String url, String host, int port, boolean ssl, String basePath,
                            long connectTimeoutMillis, long responseTimeoutMillis) {
        this.upstream = upstream;
        this.url = url;
        this.host = host;
        this.port = port;
        this.ssl = ssl;
        this.basePath = basePath;
        // Shared by every proxied request to this service and never modified after this point.
        this.proxyOptions = options(connectTimeoutMillis, responseTimeoutMillis);
    }

    public static ServiceEndpoint parse(Upstream upstream, String url, long connectTimeoutMillis, long responseTimeoutMillis) {
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
        return new ServiceEndpoint(upstream, url, uri.getHost(), port, ssl, path, connectTimeoutMillis, responseTimeoutMillis);
    }

    /** Options of a request to this service; the URI is set on the request itself. */
    public RequestOptions proxyOptions() {
        return proxyOptions;
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
