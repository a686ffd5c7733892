package io.concertticket.payment.api;

import io.concertticket.identity.CurrentCaller;
import io.concertticket.payment.application.ChargePoints;
import io.concertticket.payment.application.ChargeReceipt;
import io.concertticket.payment.application.Idempotent;
import io.concertticket.payment.application.ReadWallet;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The caller's own wallet. Identity only, no admission: a buyer reads balance and history after the sale.
 * {@code {userId}} is the caller's account or {@code me}.
 */
@Path("/api/v1/users/{userId}/points")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class PointsResource {

    private final ChargePoints chargePoints;
    private final ReadWallet readWallet;
    private final CurrentCaller caller;

    PointsResource(ChargePoints chargePoints, ReadWallet readWallet, CurrentCaller caller) {
        this.chargePoints = chargePoints;
        this.readWallet = readWallet;
        this.caller = caller;
    }

    @GET
    public Responses.BalanceResponse balance(@PathParam("userId") String userId) {
        String account = OwnWallet.of(caller.get(), userId);
        return new Responses.BalanceResponse(account, readWallet.balance(account));
    }

    @POST
    @Path("/charge")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response charge(@PathParam("userId") String userId,
                           @Context HttpHeaders headers,
                           @Valid @NotNull Requests.ChargeRequest body) {
        String account = OwnWallet.of(caller.get(), userId);
        Idempotent<ChargeReceipt> result = chargePoints.charge(account, body.amount(), IdempotencyKeys.from(headers));
        return Response.ok(Responses.ChargeResponse.of(result.result()))
                .header(IdempotencyKeys.REPLAYED_HEADER, result.replayed() ? "true" : null).build();
    }

    @GET
    @Path("/history")
    public Responses.HistoryResponse history(@PathParam("userId") String userId,
                                             @QueryParam("page") @DefaultValue("0") @Min(0) int page,
                                             @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size) {
        String account = OwnWallet.of(caller.get(), userId);
        return Responses.HistoryResponse.of(readWallet.history(account, page, size));
    }
}
