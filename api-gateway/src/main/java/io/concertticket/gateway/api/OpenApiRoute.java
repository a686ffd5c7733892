package io.concertticket.gateway.api;

import io.concertticket.gateway.application.GatherOpenApiDocument;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * {@code GET /q/openapi}: the OpenAPI document of the whole public API ({@link GatherOpenApiDocument});
 * {@code ?refresh=true} gathers it again at once. The Swagger UI at {@code /q/swagger-ui} points here.
 */
@ApplicationScoped
public class OpenApiRoute {

    private static final Logger LOG = Logger.getLogger(OpenApiRoute.class);

    private final GatherOpenApiDocument gather;

    public OpenApiRoute(GatherOpenApiDocument gather) {
        this.gather = gather;
    }

    void init(@Observes Router router) {
        router.get("/q/openapi").handler(this::serve);
    }

    private void serve(RoutingContext rc) {
        boolean refresh = "true".equalsIgnoreCase(rc.request().getParam("refresh"));
        gather.document(refresh).onComplete(ar -> {
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
}
