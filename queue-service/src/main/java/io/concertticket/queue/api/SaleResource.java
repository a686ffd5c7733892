package io.concertticket.queue.api;

import io.concertticket.queue.application.GetSaleStatus;
import io.concertticket.queue.application.SaleStatusView;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** A sale's public status: no sign-in, answered from memory (the gateway forwards it without a hop token). */
@Path("/api/v1/queue/sales")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class SaleResource {

    private final GetSaleStatus status;

    SaleResource(GetSaleStatus status) {
        this.status = status;
    }

    @GET
    @Path("{concertId}")
    @Operation(summary = "A sale's public status",
            description = "state ANNOUNCED, PRE_QUEUE, OPEN or CLOSED, the window, the pre-queue, how many wait, after the opening the "
                    + "seed that reproduces the pre-queue's order, and the live controls: admission RUNNING, PAUSED or STOPPED (queue "
                    + "everyone), batchSize, tickSeconds, maxActive (0 = no cap), admissionRatePerSecond (places per second the rounds "
                    + "actually offered lately; 0 while held or not yet known) and closedByOperator. From memory, at most about one "
                    + "refresh interval behind; a sale announced a moment ago may be 404 for up to about a second.")
    @APIResponse(responseCode = "200", description = "The sale")
    @APIResponse(responseCode = "400", description = "concertId is not a positive number (problem `validation-failed`)")
    @APIResponse(responseCode = "404", description = "No sale announced for this concert (problem `sale-not-found`)")
    public SaleStatusView sale(@PathParam("concertId") String concertId) {
        return status.of(SaleIds.parse(concertId));
    }
}
