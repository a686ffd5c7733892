package io.concertticket.payment.api;

import io.concertticket.payment.application.ReservationNotYetKnownException;
import io.concertticket.payment.domain.IdempotencyKeyReusedException;
import io.concertticket.payment.domain.InsufficientPointsException;
import io.concertticket.payment.domain.InvalidChargeException;
import io.concertticket.payment.domain.PaymentDeadlinePassedException;
import io.concertticket.payment.domain.ReservationCanceledException;
import io.concertticket.payment.domain.ReservationNotFoundException;
import io.concertticket.problem.Problem;
import io.concertticket.problem.ProblemResponses;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** payment-service's domain refusals as RFC 9457 problems (the shared mappers handle the rest). */
public class PaymentProblemMapper {

    /** SeatHeld normally follows a hold within a second; a retry a moment later usually finds it. */
    static final int RETRY_AFTER_SECONDS = 1;

    @ServerExceptionMapper
    public Response notYourWallet(OwnWallet.NotYourWalletException e) {
        return ProblemResponses.of(Problem.of(403, "forbidden", "Forbidden", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response invalidIdempotencyKey(IdempotencyKeys.InvalidKeyException e) {
        return ProblemResponses.of(Problem.of(400, "invalid-header", "Invalid request header", e.getMessage())
                .with("field", IdempotencyKeys.KEY_HEADER));
    }

    @ServerExceptionMapper
    public Response invalidCharge(InvalidChargeException e) {
        Problem p = Problem.of(400, "invalid-charge-amount", "Invalid charge amount", e.getMessage())
                .with("field", "amount")
                .with("amount", e.amount());
        switch (e.reason()) {
            case ABOVE_CHARGE_LIMIT -> p.with("maxChargeAmount", e.limit());
            case ABOVE_MAX_BALANCE -> p.with("maxBalance", e.limit()).with("balance", e.balance());
            default -> p.with("maxChargeAmount", e.limit());
        }
        return ProblemResponses.of(p);
    }

    @ServerExceptionMapper
    public Response notFound(ReservationNotFoundException e) {
        return ProblemResponses.of(Problem.of(404, "reservation-not-found", "Reservation not found", e.getMessage())
                .with("reservationId", e.reservationId()));
    }

    /** The client did nothing wrong: its SeatHeld is late. Retrying the same request is safe. */
    @ServerExceptionMapper
    public Response notYetKnown(ReservationNotYetKnownException e) {
        Response problem = ProblemResponses.of(Problem.of(503, "reservation-not-yet-known",
                        "Reservation not known yet", e.getMessage())
                .with("reservationId", e.reservationId()));
        return Response.fromResponse(problem).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).build();
    }

    @ServerExceptionMapper
    public Response canceled(ReservationCanceledException e) {
        return ProblemResponses.of(Problem.of(409, "reservation-canceled", "Reservation canceled", e.getMessage())
                .with("reservationId", e.reservationId()));
    }

    @ServerExceptionMapper
    public Response deadlinePassed(PaymentDeadlinePassedException e) {
        return ProblemResponses.of(Problem.of(409, "payment-deadline-passed", "Payment deadline passed", e.getMessage())
                .with("reservationId", e.reservationId()).with("expiresAt", e.expiresAt().toString()));
    }

    @ServerExceptionMapper
    public Response insufficient(InsufficientPointsException e) {
        return ProblemResponses.of(Problem.of(402, "insufficient-points", "Not enough points", e.getMessage())
                .with("required", e.required()).with("balance", e.balance()).with("shortfall", e.shortfall())
                );
    }

    @ServerExceptionMapper
    public Response keyReused(IdempotencyKeyReusedException e) {
        return ProblemResponses.of(Problem.of(422, "idempotency-key-reused", "Idempotency-Key reused", e.getMessage())
                .with("field", IdempotencyKeys.KEY_HEADER));
    }
}
