package io.concertticket.problem;

import jakarta.ws.rs.core.Response;

/** A {@link Problem} as the JAX-RS response of a service: its status, {@code application/problem+json}, the body. */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    public static Response of(Problem problem) {
        return Response.status(problem.getStatus()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
