package io.concertticket.gateway.infrastructure;

import io.concertticket.gateway.domain.Upstream;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP clients of the gateway: one pooled keep-alive HTTP/1.1 client for proxied traffic (a large
 * pool per service, bounded wait queue, connect timeout) and a small one for the gateway's own calls
 * (signing keys, OpenAPI documents), so those never queue behind user traffic.
 */
@ApplicationScoped
public class UpstreamClients {

    private final Map<Upstream, ServiceReplicas> endpoints = new EnumMap<>(Upstream.class);
    private final HttpClient proxyClient;
    private final HttpClient freshConnectionClient;
    private final HttpClient internalClient;

    public UpstreamClients(Vertx vertx, GatewayConfig config, MeterRegistry meters) {
        GatewayConfig.Proxy proxy = config.proxy();
        long connectMillis = proxy.connectTimeout().toMillis();
        long responseMillis = proxy.responseTimeout().toMillis();
        long poolWaitMillis = proxy.poolWaitTimeout().toMillis();
        long cooldownMillis = proxy.replicaCooldown().toMillis();
        for (Upstream upstream : Upstream.values()) {
            List<String> urls = switch (upstream) {
                case QUEUE -> config.queueServiceUrl();
                case CONCERT -> config.concertServiceUrl();
                case PAYMENT -> config.paymentServiceUrl();
            };
            endpoints.put(upstream, ServiceReplicas.parse(upstream, urls, responseMillis, cooldownMillis,
                    () -> new ConnectionPermits(vertx, proxy.maxConnectionsPerService(), proxy.maxWaitQueue(), poolWaitMillis,
                            upstream.serviceName())));
            for (ServiceEndpoint replica : endpoints.get(upstream).replicas()) {
                register(meters, replica);
            }
        }

        this.proxyClient = vertx.httpClientBuilder()
                .with(new HttpClientOptions()
                        .setProtocolVersion(HttpVersion.HTTP_1_1)
                        .setKeepAlive(true)
                        .setPipelining(false)
                        .setTcpNoDelay(true)
                        .setConnectTimeout((int) connectMillis)
                        // retire idle connections before the services do (their idle timeout is longer)
                        .setKeepAliveTimeout((int) Math.max(1, proxy.poolIdleTimeout().toSeconds()))
                        .setName("gateway-proxy"))
                // as many connections as permits (ConnectionPermits): requests wait there, not in this pool
                .with(new PoolOptions()
                        .setHttp1MaxSize(proxy.maxConnectionsPerService())
                        .setMaxWaitQueueSize(proxy.maxWaitQueue()))
                .build();
        // The one retry of an idempotent request whose pooled connection was closed under it goes out on a
        // connection of its own, never on another pooled one that may be closing just the same.
        this.freshConnectionClient = vertx.httpClientBuilder()
                .with(new HttpClientOptions()
                        .setProtocolVersion(HttpVersion.HTTP_1_1)
                        .setKeepAlive(false)
                        .setTcpNoDelay(true)
                        .setConnectTimeout((int) connectMillis)
                        .setName("gateway-proxy-retry"))
                .with(new PoolOptions()
                        .setHttp1MaxSize(proxy.maxConnectionsPerService())
                        .setMaxWaitQueueSize(proxy.maxWaitQueue()))
                .build();
        this.internalClient = vertx.httpClientBuilder()
                .with(new HttpClientOptions()
                        .setConnectTimeout((int) connectMillis)
                        .setKeepAliveTimeout((int) Math.max(1, proxy.poolIdleTimeout().toSeconds()))
                        .setName("gateway-internal"))
                .with(new PoolOptions().setHttp1MaxSize(4))
                .build();
    }

    /** How busy each replica is: requests on its connections, and requests waiting for one (docs/observability.md). */
    private static void register(MeterRegistry meters, ServiceEndpoint replica) {
        ConnectionPermits permits = replica.permits();
        Gauge.builder("gateway.upstream.in.flight", permits, ConnectionPermits::inUse)
                .description("Requests using one of the replica's pooled connections (at most max-connections-per-service)")
                .tag("service", replica.upstream().serviceName()).tag("replica", replica.url())
                .register(meters);
        Gauge.builder("gateway.upstream.waiting", permits, ConnectionPermits::waiting)
                .description("Requests waiting for one of the replica's connections (at most max-wait-queue)")
                .tag("service", replica.upstream().serviceName()).tag("replica", replica.url())
                .register(meters);
    }

    /** A replica of the service for one call (round robin, passing over replicas that refused connections). */
    public ServiceEndpoint endpoint(Upstream upstream) {
        return endpoints.get(upstream).next();
    }

    public ServiceReplicas replicas(Upstream upstream) {
        return endpoints.get(upstream);
    }

    public HttpClient proxyClient() {
        return proxyClient;
    }

    /** For retries: every request on a new connection, closed after its response. */
    public HttpClient freshConnectionClient() {
        return freshConnectionClient;
    }

    public HttpClient internalClient() {
        return internalClient;
    }

    @PreDestroy
    void close() {
        proxyClient.close();
        freshConnectionClient.close();
        internalClient.close();
    }
}
