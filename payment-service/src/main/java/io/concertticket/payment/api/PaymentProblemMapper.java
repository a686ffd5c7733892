package io.concertticket.payment.api;

import io.concertticket.payment.application.ReservationNotYetKnownException;
import io.concertticket.payment.domain.IdempotencyKeyReusedException;
import io.concertticket.payment.domain.InsufficientPointsException;
import io.concertticket.payment.domain.InvalidChargeException;
import io.concertticket.payment.domain.PaymentDeadlinePassedException;
import io.concertticket.payment.domain.ReservationCanceledException;
import io.concertticket.payment.domain.ReservationNotFoundException;
import io.concertticket.problem.Problem;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** payment-service's domain refusals as RFC 9457 problems (the shared mappers handle the rest). */
public class PaymentProblemMapper {

    /** SeatHeld normally follows a hold within a second; a retry a moment later usually finds it. */
    static final int RETRY_AFTER_SECONDS = 1;

    @ServerExceptionMapper
    public Response notYourWallet(OwnWallet.NotYourWalletException e) {
        return Problem.of(Response.Status.FORBIDDEN, "forbidden", "Forbidden", e.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response invalidIdempotencyKey(IdempotencyKeys.InvalidKeyException e) {
        return Problem.of(Response.Status.BAD_REQUEST, "invalid-header", "Invalid request header", e.getMessage())
                .with("field", IdempotencyKeys.KEY_HEADER).toResponse();
    }

    @ServerExceptionMapper
    public Response invalidCharge(InvalidChargeException e) {
        Problem p = Problem.of(Response.Status.BAD_REQUEST, "invalid-charge-amount", "Invalid charge amount", e.getMessage())
                .with("field", "amount")
                .with("amount", e.amount());
        switch (e.reason()) {
            case ABOVE_CHARGE_LIMIT -> p.with("maxChargeAmount", e.limit());
            case ABOVE_MAX_BALANCE -> p.with("maxBalance", e.limit()).with("balance", e.balance());
            default -> p.with("maxChargeAmount", e.limit());
        }
        return p.toResponse();
    }

    @ServerExceptionMapper
    public Response notFound(ReservationNotFoundException e) {
        return Problem.of(Response.Status.NOT_FOUND, "reservation-not-found", "Reservation not found", e.getMessage())
                .with("reservationId", e.reservationId()).toResponse();
    }

    /** The client did nothing wrong: its SeatHeld is late. Retrying the same request is safe. */
    @ServerExceptionMapper
    public Response notYetKnown(ReservationNotYetKnownException e) {
        Response problem = Problem.of(Response.Status.SERVICE_UNAVAILABLE, "reservation-not-yet-known",
                        "Reservation not known yet", e.getMessage())
                .with("reservationId", e.reservationId()).toResponse();
        return Response.fromResponse(problem).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).build();
    }

    @ServerExceptionMapper
    public Response canceled(ReservationCanceledException e) {
        return Problem.of(Response.Status.CONFLICT, "reservation-canceled", "Reservation canceled", e.getMessage())
                .with("reservationId", e.reservationId()).toResponse();
    }

    @ServerExceptionMapper
    public Response deadlinePassed(PaymentDeadlinePassedException e) {
        return Problem.of(Response.Status.CONFLICT, "payment-deadline-passed", "Payment deadline passed", e.getMessage())
                .with("reservationId", e.reservationId()).with("expiresAt", e.expiresAt().toString()).toResponse();
    }

    @ServerExceptionMapper
    public Response insufficient(InsufficientPointsException e) {
        return Problem.of(402, "insufficient-points", "Not enough points", e.getMessage())
                .with("required", e.required()).with("balance", e.balance()).with("shortfall", e.shortfall())
                .toResponse();
    }

    @ServerExceptionMapper
    public Response keyReused(IdempotencyKeyReusedException e) {
        return Problem.of(422, "idempotency-key-reused", "Idempotency-Key reused", e.getMessage())
                .with("field", IdempotencyKeys.KEY_HEADER).toResponse();
    }
}
