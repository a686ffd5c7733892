package io.concertticket.concert.api;

import io.concertticket.identity.CurrentCaller;
import io.concertticket.concert.api.ReservationDtos.HoldRequest;
import io.concertticket.concert.api.ReservationDtos.ReservationPage;
import io.concertticket.concert.api.ReservationDtos.ReservationResponse;
import io.concertticket.concert.application.GetReservation;
import io.concertticket.concert.application.HoldSeat;
import io.concertticket.concert.application.ListMyReservations;
import io.concertticket.concert.domain.Reservation;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;

/**
 * Holding a seat needs an admission to the schedule's concert; reading one's own reservations needs only
 * the account, so a buyer still sees what they bought once the admission is gone. {@code @Authenticated}
 * is checked before the body is read: without a valid hop token the answer is 401, whatever the body.
 */
@Path("/api/v1/reservations")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class ReservationResource {

    private final HoldSeat holdSeat;
    private final GetReservation getReservation;
    private final ListMyReservations listMyReservations;
    private final CurrentCaller caller;

    ReservationResource(HoldSeat holdSeat, GetReservation getReservation, ListMyReservations listMyReservations,
                        CurrentCaller caller) {
        this.holdSeat = holdSeat;
        this.getReservation = getReservation;
        this.listMyReservations = listMyReservations;
        this.caller = caller;
    }

    /** Holds a seat: 201 with the BOOKED reservation and its payment deadline. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response hold(@Valid @NotNull HoldRequest body) {
        Reservation r = holdSeat.hold(caller.get(), body.scheduleId(), body.seatNumber());
        return Response.created(URI.create("/api/v1/reservations/" + r.getId()))
                .entity(ReservationResponse.of(r)).build();
    }

    /** One of the caller's own reservations; anyone else's is 404. */
    @GET
    @Path("/{reservationId}")
    public ReservationResponse get(@PathParam("reservationId") long reservationId) {
        return ReservationResponse.of(getReservation.of(reservationId, caller.get().accountId()));
    }

    /** The caller's own reservations in every concert, newest first. */
    @GET
    public ReservationPage mine(@QueryParam("page") @DefaultValue("0") @Min(0) @Max(100_000) int page,
                                @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size) {
        return ReservationPage.of(listMyReservations.page(caller.get().accountId(), page, size));
    }
}
