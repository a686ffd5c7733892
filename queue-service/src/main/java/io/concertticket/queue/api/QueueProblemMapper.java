package io.concertticket.queue.api;

import io.concertticket.problem.Problem;
import io.concertticket.queue.domain.ControlNotApplicableException;
import io.concertticket.queue.domain.InvalidQueueRequestException;
import io.concertticket.queue.domain.NotYourAccountException;
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
        return Problem.of(Response.Status.BAD_REQUEST, "validation-failed", "Invalid request", e.getMessage())
                .with("field", e.field())
                .with("violations", List.of(Map.of("field", e.field(), "message", e.getMessage())))
                .toResponse();
    }

    @ServerExceptionMapper
    public Response notYourAccount(NotYourAccountException e) {
        return Problem.of(Response.Status.FORBIDDEN, "not-your-account", "Not your account", e.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response saleNotOpen(SaleNotOpenException e) {
        Sale s = e.sale();
        Problem p = e.state() == SaleState.CLOSED
                ? Problem.of(Response.Status.CONFLICT, "sale-closed", "Sale closed", e.getMessage())
                : Problem.of(Response.Status.CONFLICT, "sale-not-open", "Sale not open yet", e.getMessage());
        p.with("concertId", s.concertId()).with("state", e.state().name()).with("opensAt", s.opensAt().toString());
        if (s.preQueueOpensAt() != null) {
            p.with("preQueueOpensAt", s.preQueueOpensAt().toString());
        }
        if (s.closesAt() != null) {
            p.with("closesAt", s.closesAt().toString());
        }
        return p.toResponse();
    }

    @ServerExceptionMapper
    public Response notFound(TokenNotFoundException e) {
        return Problem.of(Response.Status.NOT_FOUND, "queue-token-not-found", "Unknown queue token", e.getMessage())
                .with("token", e.token().toString())
                .toResponse();
    }

    @ServerExceptionMapper
    public Response saleNotFound(SaleNotFoundException e) {
        return Problem.of(Response.Status.NOT_FOUND, "sale-not-found", "Unknown sale", e.getMessage())
                .with("concertId", e.concertId())
                .toResponse();
    }

    @ServerExceptionMapper
    public Response notApplicable(ControlNotApplicableException e) {
        return Problem.of(Response.Status.CONFLICT, "action-not-applicable", "Action does not apply", e.getMessage())
                .with("action", e.action())
                .toResponse();
    }
}
