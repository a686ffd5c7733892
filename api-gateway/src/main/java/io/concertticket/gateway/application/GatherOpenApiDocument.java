package io.concertticket.gateway.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concertticket.gateway.domain.Upstream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI document of the whole public API, gathered from the services' own documents and merged
 * ({@link MergeOpenApiDocuments}). Built lazily when asked for, kept for {@code gateway.openapi.cache-ttl}; a service
 * that is down contributes its last document seen, or is listed under {@code info.x-unavailable-services}.
 */
@ApplicationScoped
public class GatherOpenApiDocument {

    private final ServiceOpenApiDocuments services;
    private final ObjectMapper mapper;
    private final long ttlMillis;
    private final Map<Upstream, JsonNode> lastSeen = new EnumMap<>(Upstream.class);   // guarded by this

    private Buffer document;            // guarded by this
    private long builtAtMillis;         // guarded by this
    private Future<Buffer> building;    // guarded by this

    GatherOpenApiDocument(ServiceOpenApiDocuments services, ObjectMapper mapper, UseCaseSettings settings) {
        this.services = services;
        this.mapper = mapper;
        this.ttlMillis = settings.openapi().cacheTtl().toMillis();
    }

    /** The merged document as JSON; {@code refresh} gathers it again at once instead of serving the kept one. */
    public synchronized Future<Buffer> document(boolean refresh) {
        if (!refresh && document != null && System.currentTimeMillis() - builtAtMillis < ttlMillis) {
            return Future.succeededFuture(document);
        }
        if (building != null) {
            return building;
        }
        Promise<Buffer> promise = Promise.promise();
        building = promise.future();
        List<Future<JsonNode>> fetches = new ArrayList<>();
        for (Upstream upstream : Upstream.values()) {
            fetches.add(services.fetch(upstream));
        }
        Future.join(fetches).onComplete(ignored -> {
            try {
                promise.complete(build(fetches));
            } catch (Exception e) {
                promise.fail(e);
            } finally {
                synchronized (this) {
                    building = null;
                }
            }
        });
        return promise.future();
    }

    private synchronized Buffer build(List<Future<JsonNode>> fetches) throws Exception {
        Map<Upstream, JsonNode> documents = new LinkedHashMap<>();
        Map<Upstream, String> unavailable = new LinkedHashMap<>();
        Upstream[] upstreams = Upstream.values();
        for (int i = 0; i < upstreams.length; i++) {
            Future<JsonNode> f = fetches.get(i);
            if (f.succeeded()) {
                lastSeen.put(upstreams[i], f.result());
            } else if (!lastSeen.containsKey(upstreams[i])) {
                unavailable.put(upstreams[i], String.valueOf(f.cause().getMessage()));
            }
            if (lastSeen.containsKey(upstreams[i])) {
                documents.put(upstreams[i], lastSeen.get(upstreams[i]));
            }
        }
        document = Buffer.buffer(mapper.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(MergeOpenApiDocuments.merge(documents, unavailable)));
        // A document missing a service is rebuilt on the next request rather than kept for the whole TTL.
        builtAtMillis = unavailable.isEmpty() ? System.currentTimeMillis() : 0L;
        return document;
    }
}
