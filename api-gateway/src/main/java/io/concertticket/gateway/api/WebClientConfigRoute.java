package io.concertticket.gateway.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /web-config.json}: what the buyers' web page (static, in {@code META-INF/resources}) needs to sign
 * in: the OIDC issuer and its public client. Served by the gateway so the page follows {@code OIDC_ISSUER}
 * (or {@code WEB_CLIENT_ISSUER} when browsers reach the issuer under another address than the gateway does)
 * instead of a URL written into the page. Anonymous, like the page itself: it holds nothing secret.
 */
@ApplicationScoped
public class WebClientConfigRoute {

    @ConfigMapping(prefix = "web-client")
    public interface WebClientConfig {
        /** The issuer as browsers reach it ({@code WEB_CLIENT_ISSUER}); without it, the gateway's own. */
        Optional<String> issuer();

        /** The public client with authorization code + PKCE (S256). */
        @WithDefault("concert-web")
        String clientId();
    }

    private final String body;

    public WebClientConfigRoute(WebClientConfig config, ObjectMapper mapper, Config all) throws Exception {
        Map<String, String> fields = new LinkedHashMap<>();
        // the gateway's own issuer (OIDC_ISSUER) unless browsers need another address for it
        fields.put("issuer", config.issuer().orElseGet(() -> all.getValue("quarkus.oidc.auth-server-url", String.class)));
        fields.put("clientId", config.clientId());
        this.body = mapper.writeValueAsString(fields);
    }

    void init(@Observes Router router) {
        router.get("/web-config.json").handler(this::serve);
    }

    private void serve(RoutingContext rc) {
        rc.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json;charset=UTF-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .end(body);
    }
}
