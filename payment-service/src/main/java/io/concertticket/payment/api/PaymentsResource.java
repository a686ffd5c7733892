package io.concertticket.payment.api;

import io.concertticket.identity.CurrentCaller;
import io.concertticket.payment.application.Idempotent;
import io.concertticket.payment.application.PayReservation;
import io.concertticket.payment.application.PaymentReceipt;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** A sale route: the caller needs an admission to the reservation's concert (checked by {@link PayReservation}). */
@Path("/api/v1/payments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
public class PaymentsResource {

    private final PayReservation payReservation;
    private final CurrentCaller caller;

    PaymentsResource(PayReservation payReservation, CurrentCaller caller) {
        this.payReservation = payReservation;
        this.caller = caller;
    }

    /**
     * On a virtual thread: a payment may wait seconds for its reservation's SeatHeld, and hundreds of such
     * waits must not occupy the worker pool that real payments need (a virtual thread parks for free).
     */
    @POST
    @RunOnVirtualThread
    public Response pay(@Context HttpHeaders headers, @Valid @NotNull Requests.PayRequest body) {
        Idempotent<PaymentReceipt> result = payReservation.pay(caller.get(), body.reservationId(), IdempotencyKeys.from(headers));
        return Response.ok(Responses.PaymentResponse.of(result.result()))
                .header(IdempotencyKeys.REPLAYED_HEADER, result.replayed() ? "true" : null).build();
    }
}
