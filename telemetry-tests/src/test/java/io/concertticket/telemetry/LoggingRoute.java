package io.concertticket.telemetry;

import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** The test application's one route: logs a line while handling the request (JsonLogTest). */
@Singleton
public class LoggingRoute {

    private static final Logger LOG = Logger.getLogger(LoggingRoute.class);

    void init(@Observes Router router) {
        router.get("/log").handler(rc -> {
            LOG.info("handling a request");
            rc.response().end("logged");
        });
    }
}
