package io.concertticket.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concertticket.gateway.application.MergeOpenApiDocuments;
import io.concertticket.gateway.domain.Upstream;
import io.concertticket.gateway.infrastructure.GatewayConfig;
import io.concertticket.gateway.infrastructure.ServiceEndpoint;
import io.concertticket.gateway.infrastructure.UpstreamClients;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /q/openapi}: the OpenAPI document of the whole public API, gathered from the services'
 * {@code /q/openapi} and merged ({@link MergeOpenApiDocuments}). Built lazily on request, kept for
 * {@code gateway.openapi.cache-ttl} ({@code ?refresh=true} rebuilds at once); a service that is down
 * contributes its last document seen, or is listed under {@code info.x-unavailable-services}.
 * The Swagger UI at {@code /q/swagger-ui} points here.
 */
@ApplicationScoped
public class OpenApiRoute {

    private static final Logger LOG = Logger.getLogger(OpenApiRoute.class);
    private static final String SERVICE_DOCUMENT = "/q/openapi?format=json";

    private final UpstreamClients clients;
    private final ObjectMapper mapper;
    private final long ttlMillis;
    private final long fetchTimeoutMillis;
    private final long connectTimeoutMillis;
    private final Map<Upstream, JsonNode> lastSeen = new EnumMap<>(Upstream.class);   // guarded by this

    private Buffer document;            // guarded by this
    private long builtAtMillis;         // guarded by this
    private Future<Buffer> building;    // guarded by this

    public OpenApiRoute(UpstreamClients clients, ObjectMapper mapper, GatewayConfig config) {
        this.clients = clients;
        this.mapper = mapper;
        this.ttlMillis = config.openapi().cacheTtl().toMillis();
        this.fetchTimeoutMillis = config.openapi().fetchTimeout().toMillis();
        this.connectTimeoutMillis = config.proxy().connectTimeout().toMillis();
    }

    void init(@Observes Router router) {
        router.get("/q/openapi").handler(this::serve);
    }

    private void serve(RoutingContext rc) {
        boolean refresh = "true".equalsIgnoreCase(rc.request().getParam("refresh"));
        document(refresh).onComplete(ar -> {
            if (ar.succeeded()) {
                rc.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json;charset=UTF-8")
                        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                        .end(ar.result());
            } else {
                LOG.warn("Building the OpenAPI document failed", ar.cause());
                Problems.send(rc.response(), 503, "service-unavailable", "Service Unavailable",
                        "the API description could not be gathered from the services", "/q/openapi", null);
            }
        });
    }

    private synchronized Future<Buffer> document(boolean refresh) {
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
            fetches.add(fetch(clients.endpoint(upstream)));
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

    private Future<JsonNode> fetch(ServiceEndpoint service) {
        return clients.internalClient()
                .request(service.get(SERVICE_DOCUMENT, connectTimeoutMillis, fetchTimeoutMillis))
                .compose(HttpClientRequest::send)
                .compose(response -> response.body().compose(body -> response.statusCode() == 200
                        ? Future.succeededFuture(body)
                        : Future.failedFuture(service.upstream().serviceName() + " answered " + response.statusCode())))
                .map(body -> {
                    try {
                        return mapper.readTree(body.getBytes());
                    } catch (Exception e) {
                        throw new IllegalStateException(service.upstream().serviceName() + " sent no JSON OpenAPI document");
                    }
                });
    }
}
