package io.concertticket.concert.api;

import io.concertticket.concert.application.CreateConcert;
import io.concertticket.concert.application.CreateSchedule;
import io.concertticket.concert.application.CreateSeatMap;
import io.concertticket.concert.application.GetScheduleOverview;
import io.concertticket.concert.application.RescheduleSale;
import io.concertticket.concert.domain.Concert;
import io.concertticket.concert.domain.ConcertSchedule;
import io.concertticket.concert.domain.InvalidSeatMapException;
import io.concertticket.concert.domain.SaleWindow;
import io.concertticket.concert.domain.SeatMap;
import io.concertticket.concert.domain.SeatStatus;
import io.concertticket.identity.HopToken;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Operator API, routed by the gateway like any other path: only an account with the {@code operator} role
 * (the hop token's {@code groups}) gets in; anonymous callers get 401, everyone else 403.
 */
@Path("/api/v1/admin")
@RolesAllowed(HopToken.OPERATOR_ROLE)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminResource {

    /**
     * The sale fields are optional: without them the sale opens now, has no closing time and no pre-queue
     * (a pre-queue switched on without a lead starts 30 minutes before the opening).
     */
    record CreateConcertRequest(@NotBlank @Size(max = 200) String title, @NotBlank @Size(max = 200) String venue,
                                Instant saleOpensAt, Instant saleClosesAt, Boolean preQueueEnabled,
                                @PositiveOrZero Long preQueueLeadSeconds) {
    }

    /** A new sale window for an existing concert: the whole window, the same defaults as at creation. */
    record SaleRequest(Instant saleOpensAt, Instant saleClosesAt, Boolean preQueueEnabled, @PositiveOrZero Long preQueueLeadSeconds) {
    }

    record ConcertResponse(long concertId, String title, String venue, Instant saleOpensAt, Instant saleClosesAt,
                           boolean preQueueEnabled, long preQueueLeadSeconds, long saleRevision) {
        static ConcertResponse of(Concert c) {
            SaleWindow sale = c.sale();
            return new ConcertResponse(c.getId(), c.getTitle(), c.getVenue(), sale.opensAt(), sale.closesAt(), sale.preQueueEnabled(),
                    sale.preQueueLead().toSeconds(), c.saleRevision());
        }
    }

    record CreateScheduleRequest(@NotNull Instant performanceAt, @NotNull Instant reservableFrom) {
    }

    record ScheduleResponse(long scheduleId, long concertId, Instant performanceAt, Instant reservableFrom) {
    }

    record SeatSpec(@NotNull @Positive Integer seatNumber, @NotNull @PositiveOrZero Long price) {
    }

    /** Either {@code seatCount} seats numbered 1..n at one {@code price}, or an explicit list of {@code seats}. */
    record CreateSeatMapRequest(@Positive Integer seatCount, @PositiveOrZero Long price,
                                @Size(min = 1, max = SeatMap.MAX_SEATS) List<@Valid @NotNull SeatSpec> seats) {
    }

    record SeatMapResponse(long scheduleId, int seatCount, long minPrice, long maxPrice) {
    }

    record ScheduleOverview(long scheduleId, long concertId, Instant performanceAt, Instant reservableFrom,
                            int maxSeatCount, long remainingSeatCount, Map<SeatStatus, Long> seatsByStatus) {
    }

    private final CreateConcert createConcert;
    private final RescheduleSale rescheduleSale;
    private final CreateSchedule createSchedule;
    private final CreateSeatMap createSeatMap;
    private final GetScheduleOverview overview;
    private final Clock clock;

    AdminResource(CreateConcert createConcert, RescheduleSale rescheduleSale, CreateSchedule createSchedule, CreateSeatMap createSeatMap,
                  GetScheduleOverview overview, Clock clock) {
        this.createConcert = createConcert;
        this.rescheduleSale = rescheduleSale;
        this.clock = clock;
        this.createSchedule = createSchedule;
        this.createSeatMap = createSeatMap;
        this.overview = overview;
    }

    @POST
    @Path("/concerts")
    public Response createConcert(@Valid @NotNull CreateConcertRequest body) {
        SaleWindow sale = SaleWindow.of(body.saleOpensAt(), body.saleClosesAt(), body.preQueueEnabled(), body.preQueueLeadSeconds(),
                clock.instant());
        Concert c = createConcert.create(body.title(), body.venue(), sale);
        return Response.status(201).entity(ConcertResponse.of(c)).build();
    }

    /**
     * Replaces the concert's sale window and re-announces it. queue-service applies it within about a second;
     * a sale it has already opened stays opened (docs/architecture.md, "The sale").
     */
    @PUT
    @Path("/concerts/{concertId}/sale")
    public ConcertResponse reschedule(@PathParam("concertId") long concertId, @Valid @NotNull SaleRequest body) {
        SaleWindow sale = SaleWindow.of(body.saleOpensAt(), body.saleClosesAt(), body.preQueueEnabled(), body.preQueueLeadSeconds(),
                clock.instant());
        return ConcertResponse.of(rescheduleSale.reschedule(concertId, sale));
    }

    @POST
    @Path("/concerts/{concertId}/schedules")
    public Response createSchedule(@PathParam("concertId") long concertId, @Valid @NotNull CreateScheduleRequest body) {
        ConcertSchedule s = createSchedule.create(concertId, body.performanceAt(), body.reservableFrom());
        return Response.status(201)
                .entity(new ScheduleResponse(s.getId(), s.getConcertId(), s.getPerformanceAt(), s.getReservableFrom()))
                .build();
    }

    @POST
    @Path("/schedules/{scheduleId}/seats")
    public Response createSeatMap(@PathParam("scheduleId") long scheduleId, @Valid @NotNull CreateSeatMapRequest body) {
        SeatMap map;
        if (body.seats() != null && body.seatCount() == null && body.price() == null) {
            map = SeatMap.of(body.seats().stream().map(s -> new SeatMap.SeatSpec(s.seatNumber(), s.price())).toList());
        } else if (body.seats() == null && body.seatCount() != null && body.price() != null) {
            map = SeatMap.uniform(body.seatCount(), body.price());
        } else {
            throw new InvalidSeatMapException("Give either seatCount and price, or seats (a list of seatNumber and price).");
        }
        ConcertSchedule s = createSeatMap.create(scheduleId, map);
        return Response.status(201)
                .entity(new SeatMapResponse(s.getId(), s.getMaxSeatCount(), s.getMinPrice(), s.getMaxPrice()))
                .build();
    }

    @GET
    @Path("/schedules/{scheduleId}")
    public ScheduleOverview schedule(@PathParam("scheduleId") long scheduleId) {
        GetScheduleOverview.Overview o = overview.of(scheduleId);
        var s = o.schedule();
        return new ScheduleOverview(s.scheduleId(), s.concertId(), s.performanceAt(), s.reservableFrom(), s.maxSeatCount(),
                s.remainingSeatCount(), o.seatsByStatus());
    }
}
