package io.concertticket.queue.api;

import io.concertticket.queue.application.PollQueueToken;
import io.concertticket.queue.application.RegisterForQueue;
import io.concertticket.queue.application.RegisterForQueue.Registration;
import io.concertticket.queue.domain.InvalidQueueRequestException;
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

import java.util.UUID;
import java.util.regex.Pattern;

@Path("/api/v1/queue/tokens")
@Produces(MediaType.APPLICATION_JSON)
public class QueueTokenResource {

    private static final Pattern CANONICAL_UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final RegisterForQueue register;
    private final PollQueueToken poll;

    QueueTokenResource(RegisterForQueue register, PollQueueToken poll) {
        this.register = register;
        this.poll = poll;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Join a concert's waiting room",
            description = "201 with a new token; 200 with the existing one when the user already waits or is active for this concert.")
    public Response register(RegisterRequest body, @Context UriInfo uri) {
        if (body == null) {
            throw new InvalidQueueRequestException("body", "A JSON body with concertId and userId is required.");
        }
        Registration r = register.register(body.concertId(), body.userId());
        TokenResponse entity = TokenResponse.of(r.token());
        if (r.created()) {
            return Response.created(uri.getAbsolutePathBuilder().path(entity.token().toString()).build()).entity(entity).build();
        }
        return Response.ok(entity).build();
    }

    /**
     * The hottest endpoint (every waiting user, every few seconds): answered on the I/O thread straight
     * from memory; only a token this replica must first read from the database goes to a worker thread.
     */
    @GET
    @Path("{token}")
    @Operation(summary = "Poll a queue token", description = "Answered from memory; poll again after pollAfterSeconds.")
    public Uni<TokenResponse> poll(@PathParam("token") String token) {
        if (token == null || !CANONICAL_UUID.matcher(token).matches()) {
            throw new InvalidQueueRequestException("token", "token must be a UUID.");
        }
        UUID id = UUID.fromString(token);
        return poll.pollFromMemory(id)
                .map(view -> Uni.createFrom().item(TokenResponse.of(view)))
                .orElseGet(() -> Uni.createFrom().item(() -> TokenResponse.of(poll.poll(id)))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
    }
}
