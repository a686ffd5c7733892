package io.concertticket.concert.api;

import io.concertticket.concert.domain.ConcertDomainException;
import io.concertticket.concert.domain.HoldLimitReachedException;
import io.concertticket.concert.domain.InvalidSaleWindowException;
import io.concertticket.concert.domain.InvalidScheduleException;
import io.concertticket.concert.domain.InvalidSeatMapException;
import io.concertticket.concert.domain.NotFoundException;
import io.concertticket.concert.domain.ScheduleNotReservableException;
import io.concertticket.concert.domain.SeatMapAlreadyExistsException;
import io.concertticket.concert.domain.SeatTakenException;
import io.concertticket.problem.CommonProblemMappers;
import io.concertticket.problem.Problem;
import io.concertticket.problem.ProblemResponses;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.sql.SQLException;

/** Domain exceptions → RFC 9457 problem JSON; the facts each exception carries become extension members. */
public class ConcertProblemMapper {

    private static final Logger LOG = Logger.getLogger(ConcertProblemMapper.class);

    @ServerExceptionMapper
    public Response domain(ConcertDomainException e) {
        Problem p;
        if (e instanceof NotFoundException) {
            p = Problem.of(404, "not-found", "Not found", e.getMessage());
        } else if (e instanceof ScheduleNotReservableException s) {
            p = s.reason() == ScheduleNotReservableException.Reason.NOT_YET_OPEN
                    ? Problem.of(409, "schedule-not-open", "Not open for reservations yet", e.getMessage())
                    : Problem.of(409, "schedule-past", "Performance is over", e.getMessage());
        } else if (e instanceof SeatTakenException) {
            p = Problem.of(409, "seat-taken", "Seat already taken", e.getMessage());
        } else if (e instanceof HoldLimitReachedException) {
            p = Problem.of(409, "hold-limit-reached", "Too many seats held", e.getMessage());
        } else if (e instanceof SeatMapAlreadyExistsException) {
            p = Problem.of(409, "seat-map-exists", "Seat map already created", e.getMessage());
        } else if (e instanceof InvalidScheduleException) {
            p = Problem.of(400, "invalid-schedule", "Invalid schedule", e.getMessage());
        } else if (e instanceof InvalidSeatMapException) {
            p = Problem.of(400, "invalid-seat-map", "Invalid seat map", e.getMessage());
        } else if (e instanceof InvalidSaleWindowException) {
            p = Problem.of(400, "invalid-sale-window", "Invalid sale window", e.getMessage());
        } else {
            LOG.error("unmapped domain exception", e);
            p = Problem.of(409, "conflict", "Conflict", e.getMessage());
        }
        e.details().forEach(p::with);
        return ProblemResponses.of(p);
    }

    /**
     * A safety net under the rules checked in code: a unique constraint that trips anyway (two
     * requests racing past a check) is a conflict for the client, not a server error.
     */
    @ServerExceptionMapper
    public Response persistence(PersistenceException e) {
        String state = sqlState(e);
        if ("23505".equals(state)) {
            LOG.debugf("unique constraint violated: %s", e.getMessage());
            return ProblemResponses.of(Problem.of(409, "conflict", "Conflict",
                    "The request conflicts with a concurrent change; reload and try again."));
        }
        if ("40001".equals(state) || "40P01".equals(state)) {
            LOG.warnf("transaction aborted by the database (%s); the client may retry", state);
            return Response.fromResponse(ProblemResponses.of(Problem.of(503, "busy", "Try again",
                    "The request collided with a concurrent one; retrying will succeed.")))
                    .header(HttpHeaders.RETRY_AFTER, "1")
                    .build();
        }
        if (CommonProblemMappers.databaseUnavailable(e)) {
            // the pool ran dry, a lock not granted within lock_timeout, a statement timeout, a lost connection: it passes
            return CommonProblemMappers.serviceUnavailable(e);
        }
        LOG.error("database error", e);
        return ProblemResponses.of(Problem.of(500, "internal-error", "Internal error",
                "The request could not be completed. It was logged; retrying may succeed."));
    }

    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }
}
