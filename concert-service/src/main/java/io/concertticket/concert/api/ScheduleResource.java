package io.concertticket.concert.api;

import io.concertticket.identity.CurrentCaller;
import io.concertticket.concert.application.ListSeats;
import io.concertticket.concert.domain.SeatView;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;

/** Sale routes: the caller must be admitted to the schedule's concert. */
@Path("/api/v1/schedules")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ScheduleResource {

    record SeatMapResponse(long scheduleId, long concertId, Instant performanceAt, Instant reservableFrom,
                           long availableSeatCount, List<SeatView> seats) {
    }

    private final ListSeats listSeats;
    private final CurrentCaller caller;

    ScheduleResource(ListSeats listSeats, CurrentCaller caller) {
        this.listSeats = listSeats;
        this.caller = caller;
    }

    /** Every seat of the schedule with its price and whether it can be held. */
    @GET
    @Path("/{scheduleId}/seats")
    public SeatMapResponse seats(@PathParam("scheduleId") long scheduleId) {
        ListSeats.ScheduleSeats result = listSeats.of(caller.get(), scheduleId);
        var s = result.schedule();
        long available = result.seats().stream().filter(SeatView::available).count();
        return new SeatMapResponse(s.getId(), s.getConcertId(), s.getPerformanceAt(), s.getReservableFrom(), available, result.seats());
    }
}
