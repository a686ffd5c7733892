package io.concertticket.gateway.infrastructure;

import io.concertticket.gateway.domain.Upstream;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Collectors;

/**
 * The replicas of one service the gateway balances over (round robin per request), from a comma-separated list of
 * URLs such as {@code http://queue-a:8081,http://queue-b:8081}; one URL (a Kubernetes Service) is one replica.
 * Passive health: a replica that refused a connection is passed over for a cooldown, unless every replica is.
 */
public final class ServiceReplicas {

    private final Upstream upstream;
    private final List<ServiceEndpoint> replicas;
    private final long cooldownMillis;
    private final AtomicInteger next = new AtomicInteger();
    /** Per replica: until when it is passed over (epoch millis; 0 = healthy). */
    private final AtomicLongArray skippedUntil;

    public ServiceReplicas(Upstream upstream, List<ServiceEndpoint> replicas, long cooldownMillis) {
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException(upstream.serviceName() + " needs at least one URL");
        }
        this.upstream = upstream;
        this.replicas = List.copyOf(replicas);
        this.cooldownMillis = cooldownMillis;
        this.skippedUntil = new AtomicLongArray(replicas.size());
    }

    public static ServiceReplicas parse(Upstream upstream, List<String> urls, long responseTimeoutMillis,
                                        long cooldownMillis, java.util.function.Supplier<ConnectionPermits> permitsPerReplica) {
        List<ServiceEndpoint> endpoints = urls.stream()
                .flatMap(url -> java.util.Arrays.stream(url.split(",")))   // also "a,b" given as one value
                .map(String::trim)
                .filter(url -> !url.isEmpty())
                .map(url -> ServiceEndpoint.parse(upstream, url, responseTimeoutMillis, permitsPerReplica.get()))
                .toList();
        return new ServiceReplicas(upstream, endpoints, cooldownMillis);
    }

    /** The replica for the next request: round robin over those not cooling down (over all when every one is). */
    public ServiceEndpoint next() {
        int size = replicas.size();
        int start = Math.floorMod(next.getAndIncrement(), size);
        return firstHealthyFrom(start, -1);
    }

    /** Another replica than {@code failed} for a second try (the same one when it is the only one). */
    public ServiceEndpoint after(ServiceEndpoint failed) {
        int index = replicas.indexOf(failed);
        return firstHealthyFrom(index + 1, index);
    }

    /** Attempts one request may make when connections are refused: each replica once. */
    public int size() {
        return replicas.size();
    }

    /** The replica refused a connection (or did not accept one in time): pass it over for a while. */
    public void connectFailed(ServiceEndpoint replica) {
        int index = replicas.indexOf(replica);
        if (index >= 0 && replicas.size() > 1) {
            skippedUntil.set(index, System.currentTimeMillis() + cooldownMillis);
        }
    }

    public void connected(ServiceEndpoint replica) {
        int index = replicas.indexOf(replica);
        if (index >= 0 && skippedUntil.get(index) != 0) {
            skippedUntil.set(index, 0);
        }
    }

    public Upstream upstream() {
        return upstream;
    }

    public List<ServiceEndpoint> replicas() {
        return replicas;
    }

    /** The configured URLs, comma-separated (for log lines). */
    public String urls() {
        return replicas.stream().map(ServiceEndpoint::url).collect(Collectors.joining(","));
    }

    private ServiceEndpoint firstHealthyFrom(int start, int excluded) {
        int size = replicas.size();
        long now = System.currentTimeMillis();
        ServiceEndpoint fallback = null;
        for (int i = 0; i < size; i++) {
            int index = Math.floorMod(start + i, size);
            if (index == excluded && size > 1) {
                continue;
            }
            if (skippedUntil.get(index) <= now) {
                return replicas.get(index);
            }
            if (fallback == null) {
                fallback = replicas.get(index);
            }
        }
        return fallback != null ? fallback : replicas.get(Math.floorMod(start, size));
    }
}
