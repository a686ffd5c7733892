package io.concertticket.queue.api;

import io.concertticket.identity.CurrentCaller;
import io.concertticket.queue.application.PollQueueToken;
import io.concertticket.queue.application.RegisterForQueue;
import io.concertticket.queue.application.RegisterForQueue.Registration;
import io.concertticket.queue.domain.InvalidQueueRequestException;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A place in a waiting room, always the verified caller's own: registration joins as the account of
 * the hop token, and a poll shows a token only to the account that owns it.
 */
@Path("/api/v1/queue/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityScheme(securitySchemeName = QueueTokenResource.HOP_TOKEN, type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
        description = "The gateway's hop token (docs/identity.md); through the gateway, the signed-in account's identity token.")
@SecurityRequirement(name = QueueTokenResource.HOP_TOKEN)
@APIResponse(responseCode = "401", description = "No valid hop token (problem `unauthenticated`)")
public class QueueTokenResource {

    static final String HOP_TOKEN = "hop-token";
    private static final Pattern CANONICAL_UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final RegisterForQueue register;
    private final PollQueueToken poll;
    private final CurrentCaller caller;

    QueueTokenResource(RegisterForQueue register, PollQueueToken poll, CurrentCaller caller) {
        this.register = register;
        this.poll = poll;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Join a concert's waiting room as the signed-in account",
            description = "201 with a new token; 200 with the existing one when the account already waits or is active for this concert.")
    @APIResponse(responseCode = "201", description = "A new place at the back of the line")
    @APIResponse(responseCode = "200", description = "The account's existing live place for this concert")
    @APIResponse(responseCode = "400", description = "Invalid body (problem `validation-failed` naming the field, or `malformed-body`)")
    @APIResponse(responseCode = "403", description = "The body's userId is another account (problem `not-your-account`)")
    public Response register(RegisterRequest body, @Context UriInfo uri) {
        if (body == null) {
            throw new InvalidQueueRequestException("body", "A JSON body with concertId is required.");
        }
        Registration r = register.register(caller.get().accountId(), body.concertId(), body.userId());
        TokenResponse entity = TokenResponse.of(r.token());
        if (r.created()) {
            return Response.created(uri.getAbsolutePathBuilder().path(entity.token().toString()).build()).entity(entity).build();
        }
        return Response.ok(entity).build();
    }

    /**
     * The hottest endpoint (every waiting user, every few seconds): answered on the I/O thread straight
     * from memory, owner check included; only a token this replica must first read from the database
     * goes to a worker thread.
     */
    @GET
    @Path("{token}")
    @Operation(summary = "Poll the account's own queue token",
            description = "Answered from memory; poll again after pollAfterSeconds. Another account's token is answered like an unknown one (404).")
    @APIResponse(responseCode = "200", description = "The token; once ACTIVE with its accessToken")
    @APIResponse(responseCode = "400", description = "token is not a UUID (problem `validation-failed`)")
    @APIResponse(responseCode = "404", description = "No such token of this account (problem `queue-token-not-found`)")
    public Uni<TokenResponse> poll(@PathParam("token") String token) {
        if (token == null || !CANONICAL_UUID.matcher(token).matches()) {
            throw new InvalidQueueRequestException("token", "token must be a UUID.");
        }
        UUID id = UUID.fromString(token);
        String account = caller.get().accountId();
        return poll.pollFromMemory(id, account)
                .map(view -> Uni.createFrom().item(TokenResponse.of(view)))
                .orElseGet(() -> Uni.createFrom().item(() -> TokenResponse.of(poll.poll(id, account)))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
    }
}
