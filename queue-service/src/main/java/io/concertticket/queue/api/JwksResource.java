package io.concertticket.queue.api;

import io.concertticket.queue.application.AccessTokens;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The public key(s) that verify access tokens, for the gateway (internal; not routed publicly). Open to
 * anyone: it is a public key, and the gateway fetches it without a hop token.
 */
@PermitAll
@Path("/.well-known/jwks.json")
public class JwksResource {

    private final AccessTokens tokens;

    JwksResource(AccessTokens tokens) {
        this.tokens = tokens;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "JWKS of the access-token signing key")
    public Response jwks() {
        CacheControl cache = new CacheControl();
        cache.setMaxAge(300);
        return Response.ok(tokens.jwks()).cacheControl(cache).build();
    }
}
