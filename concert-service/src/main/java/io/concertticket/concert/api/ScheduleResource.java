package io.concertticket.concert.api;

import io.concertticket.concert.application.ListSeats;
import io.concertticket.concert.domain.SeatView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;

@Path("/api/v1/schedules")
@Produces(MediaType.APPLICATION_JSON)
public class ScheduleResource {

    record SeatMapResponse(long scheduleId, long concertId, Instant performanceAt, Instant reservableFrom,
                           long availableSeatCount, List<SeatView> seats) {
    }

    private final ListSeats listSeats;

    ScheduleResource(ListSeats listSeats) {
        this.listSeats = listSeats;
    }

    /** Every seat of the schedule with its price and whether it can be held. */
    @GET
    @Path("/{scheduleId}/seats")
    public SeatMapResponse seats(@HeaderParam(Caller.USER_HEADER) String userId, @HeaderParam(Caller.CONCERT_HEADER) String concertId,
                                 @PathParam("scheduleId") long scheduleId) {
        Caller caller = Caller.from(userId, concertId);
        ListSeats.ScheduleSeats result = listSeats.of(scheduleId, caller.concertId());
        var s = result.schedule();
        long available = result.seats().stream().filter(SeatView::available).count();
        return new SeatMapResponse(s.getId(), s.getConcertId(), s.getPerformanceAt(), s.getReservableFrom(), available, result.seats());
    }
}
