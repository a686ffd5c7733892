package io.concertticket.queue.api;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.concertticket.identity.CurrentCaller;
import io.concertticket.identity.HopToken;
import io.concertticket.queue.application.CloseSale;
import io.concertticket.queue.application.ControlSale;
import io.concertticket.queue.application.ControlSale.Changed;
import io.concertticket.queue.domain.InvalidQueueRequestException;
import io.concertticket.queue.domain.ControlsSnapshot;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import java.util.List;

/**
 * Operators' live controls of one sale's waiting room, through the gateway's operator API
 * ({@code /api/v1/admin/sales/**}, role {@code operator} checked there and here from the hop token).
 * Every action is recorded with the operator's account and published as SaleControlChanged.
 */
@Path("/api/v1/admin/sales/{concertId}")
@RolesAllowed(HopToken.OPERATOR_ROLE)
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = QueueTokenResource.HOP_TOKEN)
@APIResponse(responseCode = "400", description = "A bad value (problem `validation-failed` naming the `field`)")
@APIResponse(responseCode = "401", description = "No valid hop token (problem `unauthenticated`)")
@APIResponse(responseCode = "403", description = "Not an operator (problem `forbidden`)")
@APIResponse(responseCode = "404", description = "No sale announced for this concert (problem `sale-not-found` naming `concertId`); "
        + "an announced sale nobody joined yet can be controlled")
public class SaleControlResource {

    /** A new pace; absent fields keep their value. */
    public record PaceRequest(@JsonDeserialize(using = IntegralNumberDeserializer.class) Long batchSize,
                              @JsonDeserialize(using = IntegralNumberDeserializer.class) Long tickSeconds,
                              @JsonDeserialize(using = IntegralNumberDeserializer.class) Long maxActive) {
    }

    private final ControlSale control;
    private final CloseSale closing;
    private final CurrentCaller caller;

    SaleControlResource(ControlSale control, CloseSale closing, CurrentCaller caller) {
        this.control = control;
        this.closing = closing;
        this.caller = caller;
    }

    @GET
    @Path("controls")
    @Operation(summary = "The sale's controls: admission RUNNING, PAUSED or STOPPED, batch size, tick, active cap (0 = none), "
            + "closed by an operator")
    public ControlsSnapshot controls(@PathParam("concertId") String concertId) {
        return control.current(SaleIds.parse(concertId));
    }

    @POST
    @Path("pause")
    @Operation(summary = "Hold admission: nobody is admitted from the next round on, places stay as they are")
    @APIResponse(responseCode = "409", description = "Admission is not RUNNING (problem `action-not-applicable`)")
    public Changed pause(@PathParam("concertId") String concertId) {
        return control.pause(SaleIds.parse(concertId), operator());
    }

    @POST
    @Path("resume")
    @Operation(summary = "Resume a paused or stopped admission, from the head of the line")
    @APIResponse(responseCode = "409", description = "Admission is already RUNNING (problem `action-not-applicable`)")
    public Changed resume(@PathParam("concertId") String concertId) {
        return control.resume(SaleIds.parse(concertId), operator());
    }

    @PATCH
    @Path("controls")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change the pace while the sale runs: batchSize (1-10000), tickSeconds (1-600), maxActive (0 = no cap)",
            description = "Takes effect at the sale's next admission round, on every replica.")
    public Changed changePace(@PathParam("concertId") String concertId, PaceRequest body) {
        if (body == null) {
            throw new InvalidQueueRequestException("body", "A JSON body with batchSize, tickSeconds or maxActive is required.");
        }
        return control.changePace(SaleIds.parse(concertId), operator(), body.batchSize(), body.tickSeconds(), body.maxActive());
    }

    @POST
    @Path("queue-everyone")
    @Operation(summary = "Emergency stop: nobody is admitted from the next round on; with ?endSessions=true the active sessions "
            + "end too (their access tokens are refused from then on)")
    @APIResponse(responseCode = "409", description = "Admission is already STOPPED (problem `action-not-applicable`)")
    public Changed queueEveryone(@PathParam("concertId") String concertId, @QueryParam("endSessions") String endSessions) {
        if (endSessions != null && !endSessions.equals("true") && !endSessions.equals("false")) {
            throw new InvalidQueueRequestException("endSessions", "endSessions must be true or false.");
        }
        return control.queueEveryone(SaleIds.parse(concertId), operator(), "true".equals(endSessions));
    }

    @POST
    @Path("close")
    @Operation(summary = "Close the sale for good, as its closing time would: registration is refused (409 sale-closed), nobody "
            + "more is admitted, whoever waits or is pre-queued is told (EXPIRED, reason SALE_CLOSED); admitted buyers keep their session",
            description = "Idempotent: closing a closed sale answers the change that closed it and records nothing. When it answers, "
                    + "nobody waits any more.")
    public Changed close(@PathParam("concertId") String concertId) {
        return closing.close(SaleIds.parse(concertId), operator());
    }

    @GET
    @Path("changes")
    @Operation(summary = "The sale's recorded changes, newest first: who, when, what, controls before and after")
    public List<Changed> changes(@PathParam("concertId") String concertId, @QueryParam("limit") Integer limit) {
        if (limit != null && (limit < 1 || limit > 1000)) {
            throw new InvalidQueueRequestException("limit", "limit must be between 1 and 1000.");
        }
        return control.history(SaleIds.parse(concertId), limit == null ? 100 : limit);
    }

    private String operator() {
        return caller.get().accountId();
    }
}
