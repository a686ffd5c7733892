package io.concertticket.queue.api;

import io.concertticket.problem.CommonProblemMappers;
import io.concertticket.problem.Problem;
import io.concertticket.problem.ProblemResponses;
import io.concertticket.queue.domain.ControlNotApplicableException;
import io.concertticket.queue.domain.InvalidQueueRequestException;
import io.concertticket.queue.domain.NotYourAccountException;
import io.concertticket.queue.domain.RegistrationNotWrittenException;
import io.concertticket.queue.domain.Sale;
import io.concertticket.queue.domain.SaleNotFoundException;
import io.concertticket.queue.domain.SaleNotOpenException;
import io.concertticket.queue.domain.SaleState;
import io.concertticket.queue.domain.TokenNotFoundException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.Map;

/** The queue's domain exceptions as problem JSON; everything else is handled by the shared CommonProblemMappers. */
public class QueueProblemMapper {

    @ServerExceptionMapper
    public Response invalid(InvalidQueueRequestException e) {
        return ProblemResponses.of(Problem.of(400, "validation-failed", "Invalid request", e.getMessage())
                .with("field", e.field())
                .with("violations", List.of(Map.of("field", e.field(), "message", e.getMessage()))));
    }

    @ServerExceptionMapper
    public Response notYourAccount(NotYourAccountException e) {
        return ProblemResponses.of(Problem.of(403, "not-your-account", "Not your account", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response saleNotOpen(SaleNotOpenException e) {
        Sale s = e.sale();
        Problem p = e.state() == SaleState.CLOSED
                ? Problem.of(409, "sale-closed", "Sale closed", e.getMessage())
                : Problem.of(409, "sale-not-open", "Sale not open yet", e.getMessage());
        p.with("concertId", s.concertId()).with("state", e.state().name()).with("opensAt", s.opensAt().toString());
        if (s.preQueueOpensAt() != null) {
            p.with("preQueueOpensAt", s.preQueueOpensAt().toString());
        }
        if (s.closesAt() != null) {
            p.with("closesAt", s.closesAt().toString());
        }
        return ProblemResponses.of(p);
    }

    @ServerExceptionMapper
    public Response notFound(TokenNotFoundException e) {
        return ProblemResponses.of(Problem.of(404, "queue-token-not-found", "Unknown queue token", e.getMessage())
                .with("token", e.token().toString()));
    }

    @ServerExceptionMapper
    public Response saleNotFound(SaleNotFoundException e) {
        return ProblemResponses.of(Problem.of(404, "sale-not-found", "Unknown sale", e.getMessage())
                .with("concertId", e.concertId()));
    }

    @ServerExceptionMapper
    public Response notApplicable(ControlNotApplicableException e) {
        return ProblemResponses.of(Problem.of(409, "action-not-applicable", "Action does not apply", e.getMessage())
                .with("action", e.action()));
    }

    /** Overload: the same 503 service-unavailable with Retry-After as a connection pool that ran dry. */
    @ServerExceptionMapper
    public Response registrationNotWritten(RegistrationNotWrittenException e) {
        return CommonProblemMappers.serviceUnavailable(e);
    }
}
