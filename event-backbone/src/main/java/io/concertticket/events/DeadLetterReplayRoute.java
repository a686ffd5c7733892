package io.concertticket.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;

/**
 * {@code POST /q/dead-letters/replay} ({@code ?from=beginning} to look at every letter again): the operator
 * command of {@link DeadLetterReplay}, answering its report as JSON. It lives on the management interface
 * (port 9000 in production: never routed by the gateway nor exposed by the Services of the API); only when a
 * service runs without one (tests) is it on the main HTTP port, under {@code /q} like health and metrics.
 */
@ApplicationScoped
public class DeadLetterReplayRoute {

    static final String PATH = "/q/dead-letters/replay";

    private final DeadLetterReplay replay;
    private final ObjectMapper mapper;

    DeadLetterReplayRoute(DeadLetterReplay replay, ObjectMapper mapper) {
        this.replay = replay;
        this.mapper = mapper;
    }

    void onManagementInterface(@Observes ManagementInterface management) {
        register(management.router());
    }

    void onMainRouter(@Observes Router router, Config config) {
        // a build-time setting of Quarkus, read here only to know where the route belongs
        if (!config.getOptionalValue("quarkus.management.enabled", Boolean.class).orElse(false)) {
            register(router);
        }
    }

    private void register(Router router) {
        router.post(PATH).blockingHandler(this::replay, false);
    }

    private void replay(RoutingContext rc) {
        boolean fromBeginning = "beginning".equals(rc.request().getParam("from"));
        try {
            String body = mapper.writeValueAsString(replay.replay(fromBeginning));
            rc.response().putHeader("Content-Type", "application/json").end(body);
        } catch (JsonProcessingException | RuntimeException e) {
            rc.response().setStatusCode(503).putHeader("Content-Type", "application/problem+json")
                    .end("{\"type\":\"about:blank\",\"title\":\"Dead-letter replay failed\",\"status\":503,\"detail\":\"replay failed: "
                            + e.getClass().getSimpleName() + "; see the service log\"}");
        }
    }
}
