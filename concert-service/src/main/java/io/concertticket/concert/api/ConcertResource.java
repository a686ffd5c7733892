package io.concertticket.concert.api;

import io.concertticket.identity.CurrentCaller;
import io.concertticket.concert.application.ListConcerts;
import io.concertticket.concert.application.ListReservableSchedules;
import io.concertticket.concert.domain.ConcertSummary;
import io.concertticket.concert.domain.Page;
import io.concertticket.concert.domain.ScheduleAvailability;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.Authenticated;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;

/**
 * The catalogue, served from memory ({@link CatalogueCache}) with {@code ETag} and {@code Cache-Control}: the
 * concert list is public and cacheable by anyone (CDN, ingress); a concert's schedules sit behind the admission
 * check, so only the caller's own client may keep them ({@code private}), and it may revalidate with
 * {@code If-None-Match} (304, no body).
 */
@Path("/api/v1/concerts")
@Produces(MediaType.APPLICATION_JSON)
public class ConcertResource {

    private static final Logger LOG = Logger.getLogger(ConcertResource.class);
    private static final int DEFAULT_PAGE_SIZE = 20;

    record ConcertPage(List<ConcertSummary> items, int page, int size, long totalItems, long totalPages) {
    }

    record ScheduleResponse(long scheduleId, Instant performanceAt, Instant reservableFrom, int maxSeatCount,
                            long remainingSeatCount) {
    }

    record Schedules(long concertId, List<ScheduleResponse> schedules) {
    }

    private final ListConcerts listConcerts;
    private final ListReservableSchedules listSchedules;
    private final CatalogueCache catalogue;
    private final CurrentCaller caller;

    ConcertResource(ListConcerts listConcerts, ListReservableSchedules listSchedules, CatalogueCache catalogue,
                    CurrentCaller caller) {
        this.listConcerts = listConcerts;
        this.listSchedules = listSchedules;
        this.catalogue = catalogue;
        this.caller = caller;
    }

    /**
     * The first page everybody opens is in memory before the first request: a cold replica answers at once.
     * After the other start-up observers (demo data seeding), so that it is what they made.
     */
    void preload(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent start) {
        try {
            catalogue.preload(pageKey(0, DEFAULT_PAGE_SIZE), () -> page(0, DEFAULT_PAGE_SIZE));
        } catch (RuntimeException e) {
            LOG.warnf("concert list not preloaded (%s); it is read on the first request", e.toString());
        }
    }

    /** Public: what is on sale, with each concert's price range. */
    @GET
    @APIResponse(responseCode = "200", description = "A page of concerts; ETag and Cache-Control (public); 304 on If-None-Match",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ConcertPage.class)))
    @APIResponse(responseCode = "304", description = "Not modified: the client's copy (If-None-Match) is current")
    public Response list(@QueryParam("page") @DefaultValue("0") @Min(0) @Max(100_000) int page,
                         @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size,
                         @Context Request request) {
        return catalogue.publicly(request, pageKey(page, size), () -> page(page, size));
    }

    /** The schedules reservable right now, with their remaining seat counts: for callers admitted to this concert. */
    @GET
    @Path("/{concertId}/schedules")
    @Authenticated
    @APIResponse(responseCode = "200", description = "The schedules; ETag and Cache-Control (private); 304 on If-None-Match",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Schedules.class)))
    @APIResponse(responseCode = "304", description = "Not modified: the client's copy (If-None-Match) is current")
    public Response schedules(@PathParam("concertId") long concertId, @Context Request request) {
        // an unknown concert is 404 (not kept in memory), then the caller must be admitted to this one
        Response response = catalogue.privately(request, "schedules:" + concertId, () -> schedules(concertId));
        caller.get().requireAdmissionTo(concertId);
        return response;
    }

    private static String pageKey(int page, int size) {
        return "concerts:" + page + ":" + size;
    }

    private ConcertPage page(int page, int size) {
        Page<ConcertSummary> p = listConcerts.page(page, size);
        return new ConcertPage(p.items(), p.page(), p.size(), p.totalItems(), p.totalPages());
    }

    private Schedules schedules(long concertId) {
        return new Schedules(concertId, listSchedules.of(concertId).stream().map(ConcertResource::response).toList());
    }

    private static ScheduleResponse response(ScheduleAvailability s) {
        return new ScheduleResponse(s.scheduleId(), s.performanceAt(), s.reservableFrom(), s.maxSeatCount(), s.remainingSeatCount());
    }
}
