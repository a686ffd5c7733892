package io.concertticket.concert.api;

import io.concertticket.identity.CurrentCaller;
import io.concertticket.concert.application.ListConcerts;
import io.concertticket.concert.application.ListReservableSchedules;
import io.concertticket.concert.domain.ConcertSummary;
import io.concertticket.concert.domain.Page;
import io.concertticket.concert.domain.ScheduleAvailability;
import io.quarkus.security.Authenticated;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;

@Path("/api/v1/concerts")
@Produces(MediaType.APPLICATION_JSON)
public class ConcertResource {

    record ConcertPage(List<ConcertSummary> items, int page, int size, long totalItems, long totalPages) {
    }

    record ScheduleResponse(long scheduleId, Instant performanceAt, Instant reservableFrom, int maxSeatCount,
                            long remainingSeatCount) {
    }

    record Schedules(long concertId, List<ScheduleResponse> schedules) {
    }

    private final ListConcerts listConcerts;
    private final ListReservableSchedules listSchedules;
    private final CurrentCaller caller;

    ConcertResource(ListConcerts listConcerts, ListReservableSchedules listSchedules, CurrentCaller caller) {
        this.listConcerts = listConcerts;
        this.listSchedules = listSchedules;
        this.caller = caller;
    }

    /** Public: what is on sale, with each concert's price range. */
    @GET
    public ConcertPage list(@QueryParam("page") @DefaultValue("0") @Min(0) @Max(100_000) int page,
                            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size) {
        Page<ConcertSummary> p = listConcerts.page(page, size);
        return new ConcertPage(p.items(), p.page(), p.size(), p.totalItems(), p.totalPages());
    }

    /** The schedules reservable right now, with their remaining seat counts: for callers admitted to this concert. */
    @GET
    @Path("/{concertId}/schedules")
    @Authenticated
    public Schedules schedules(@PathParam("concertId") long concertId) {
        List<ScheduleResponse> schedules = listSchedules.of(caller.get(), concertId).stream()
                .map(ConcertResource::response).toList();
        return new Schedules(concertId, schedules);
    }

    private static ScheduleResponse response(ScheduleAvailability s) {
        return new ScheduleResponse(s.scheduleId(), s.performanceAt(), s.reservableFrom(), s.maxSeatCount(), s.remainingSeatCount());
    }
}
