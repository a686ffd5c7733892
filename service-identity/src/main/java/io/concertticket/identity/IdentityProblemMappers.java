package io.concertticket.identity;

import io.concertticket.problem.Problem;
import io.concertticket.problem.ProblemResponses;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one way a service says "who are you?" (401) and "not you" (403), as problem JSON. Services run
 * with {@code quarkus.http.auth.proactive=false}, so a missing or invalid hop token reaches these
 * mappers instead of an empty 401 from the HTTP layer.
 */
public class IdentityProblemMappers {

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return unauthenticated();
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        return unauthenticated();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return ProblemResponses.of(Problem.of(403, "forbidden", "Forbidden",
                "Your account may not do this (operator endpoints need the operator role)."));
    }

    @ServerExceptionMapper
    public Response admissionRequired(Caller.AdmissionRequiredException e) {
        return ProblemResponses.of(Problem.of(403, "admission-required", "Admission required", e.getMessage())
                );
    }

    @ServerExceptionMapper
    public Response admissionForOtherConcert(Caller.AdmissionForOtherConcertException e) {
        return ProblemResponses.of(Problem.of(403, "admission-for-other-concert", "Admission is for another concert",
                        e.getMessage())
                .with("admittedConcertId", e.admittedConcertId())
                .with("concertId", e.requestedConcertId())
                );
    }

    private static Response unauthenticated() {
        Response problem = ProblemResponses.of(Problem.of(401, "unauthenticated", "Unauthenticated",
                "This service accepts only requests forwarded by the gateway with a valid hop token."));
        return Response.fromResponse(problem).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }
}
