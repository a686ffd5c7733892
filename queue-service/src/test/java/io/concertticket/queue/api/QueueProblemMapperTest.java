package io.concertticket.queue.api;

import io.concertticket.problem.Problem;
import io.concertticket.queue.domain.RegistrationNotWrittenException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A registration whose batch the database did not write in time is overload: the caller is told to come back
 * (503 service-unavailable with Retry-After), as for a connection pool that ran dry, and never gets a 500.
 */
class QueueProblemMapperTest {

    @Test
    void aRegistrationNotWrittenInTimeIsServiceUnavailableWithRetryAfter() {
        Response r = new QueueProblemMapper().registrationNotWritten(
                new RegistrationNotWrittenException(30, new TimeoutException()));

        assertThat(r.getStatus()).isEqualTo(503);
        assertThat(r.getHeaderString(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(r.getMediaType()).hasToString("application/problem+json");
        assertThat(r.getEntity()).isInstanceOfSatisfying(Problem.class,
                p -> assertThat(p.getType()).endsWith("/service-unavailable"));
    }
}
