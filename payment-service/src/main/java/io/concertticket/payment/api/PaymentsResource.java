package io.concertticket.payment.api;

import io.concertticket.payment.application.Idempotent;
import io.concertticket.payment.application.PayReservation;
import io.concertticket.payment.application.PaymentReceipt;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/v1/payments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PaymentsResource {

    private final PayReservation payReservation;

    PaymentsResource(PayReservation payReservation) {
        this.payReservation = payReservation;
    }

    /** Runs on a worker thread (blocking signature): it may wait a few seconds for SeatHeld. */
    @POST
    public Response pay(@HeaderParam(CallerIdentity.USER_HEADER) String caller,
                        @Context HttpHeaders headers,
                        @Valid @NotNull Requests.PayRequest body) {
        String payer = CallerIdentity.require(caller);
        Idempotent<PaymentReceipt> result = payReservation.pay(payer, body.reservationId(),
                CallerIdentity.idempotencyKey(headers));
        return Response.ok(Responses.PaymentResponse.of(result.result()))
                .header(CallerIdentity.REPLAYED_HEADER, result.replayed() ? "true" : null).build();
    }
}
