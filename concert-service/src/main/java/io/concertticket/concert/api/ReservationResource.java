package io.concertticket.concert.api;

import io.concertticket.concert.api.ReservationDtos.HoldRequest;
import io.concertticket.concert.api.ReservationDtos.ReservationPage;
import io.concertticket.concert.api.ReservationDtos.ReservationResponse;
import io.concertticket.concert.application.GetReservation;
import io.concertticket.concert.application.HoldSeat;
import io.concertticket.concert.application.ListMyReservations;
import io.concertticket.concert.domain.Reservation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;

@Path("/api/v1/reservations")
@Produces(MediaType.APPLICATION_JSON)
public class ReservationResource {

    private final HoldSeat holdSeat;
    private final GetReservation getReservation;
    private final ListMyReservations listMyReservations;
    private final RequestValidation validation;

    ReservationResource(HoldSeat holdSeat, GetReservation getReservation, ListMyReservations listMyReservations,
                        RequestValidation validation) {
        this.holdSeat = holdSeat;
        this.getReservation = getReservation;
        this.listMyReservations = listMyReservations;
        this.validation = validation;
    }

    /** Holds a seat: 201 with the BOOKED reservation and its payment deadline. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response hold(@HeaderParam(Caller.USER_HEADER) String userId, @HeaderParam(Caller.CONCERT_HEADER) String concertId,
                         HoldRequest body) {
        Caller caller = Caller.from(userId, concertId);
        HoldRequest request = validation.valid(body);
        Reservation r = holdSeat.hold(caller.userId(), caller.concertId(), request.scheduleId(), request.seatNumber());
        return Response.created(URI.create("/api/v1/reservations/" + r.getId()))
                .entity(ReservationResponse.of(r)).build();
    }

    @GET
    @Path("/{reservationId}")
    public ReservationResponse get(@HeaderParam(Caller.USER_HEADER) String userId, @HeaderParam(Caller.CONCERT_HEADER) String concertId,
                                   @PathParam("reservationId") long reservationId) {
        Caller caller = Caller.from(userId, concertId);
        return ReservationResponse.of(getReservation.of(reservationId, caller.userId(), caller.concertId()));
    }

    /** The caller's reservations for the concert of their access token, newest first. */
    @GET
    public ReservationPage mine(@HeaderParam(Caller.USER_HEADER) String userId, @HeaderParam(Caller.CONCERT_HEADER) String concertId,
                                @QueryParam("page") @DefaultValue("0") @Min(0) @Max(100_000) int page,
                                @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size) {
        Caller caller = Caller.from(userId, concertId);
        return ReservationPage.of(listMyReservations.page(caller.userId(), caller.concertId(), page, size));
    }
}
