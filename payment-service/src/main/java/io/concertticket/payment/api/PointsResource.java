package io.concertticket.payment.api;

import io.concertticket.payment.application.ChargePoints;
import io.concertticket.payment.application.ChargeReceipt;
import io.concertticket.payment.application.Idempotent;
import io.concertticket.payment.application.ReadWallet;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/v1/users/{userId}/points")
@Produces(MediaType.APPLICATION_JSON)
public class PointsResource {

    private final ChargePoints chargePoints;
    private final ReadWallet readWallet;

    PointsResource(ChargePoints chargePoints, ReadWallet readWallet) {
        this.chargePoints = chargePoints;
        this.readWallet = readWallet;
    }

    @GET
    public Responses.BalanceResponse balance(@PathParam("userId") String userId,
                                             @HeaderParam(CallerIdentity.USER_HEADER) String caller) {
        CallerIdentity.requireSelf(caller, userId);
        return new Responses.BalanceResponse(userId, readWallet.balance(userId));
    }

    @POST
    @Path("/charge")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response charge(@PathParam("userId") String userId,
                           @HeaderParam(CallerIdentity.USER_HEADER) String caller,
                           @Context HttpHeaders headers,
                           @Valid @NotNull Requests.ChargeRequest body) {
        CallerIdentity.requireSelf(caller, userId);
        Idempotent<ChargeReceipt> result = chargePoints.charge(userId, body.amount(), CallerIdentity.idempotencyKey(headers));
        return Response.ok(Responses.ChargeResponse.of(result.result()))
                .header(CallerIdentity.REPLAYED_HEADER, result.replayed() ? "true" : null).build();
    }

    @GET
    @Path("/history")
    public Responses.HistoryResponse history(@PathParam("userId") String userId,
                                             @HeaderParam(CallerIdentity.USER_HEADER) String caller,
                                             @QueryParam("page") @DefaultValue("0") @Min(0) int page,
                                             @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size) {
        CallerIdentity.requireSelf(caller, userId);
        return Responses.HistoryResponse.of(readWallet.history(userId, page, size));
    }
}
