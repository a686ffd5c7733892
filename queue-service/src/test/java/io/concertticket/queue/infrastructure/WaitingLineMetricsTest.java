package io.concertticket.queue.infrastructure;

import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.queue.application.AdmitNextBatch;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.concertticket.queue.QueueTestSupport.freshConcertId;
import static io.concertticket.queue.QueueTestSupport.register;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/** Per sale: people in line, people admitted, admissions, as a scrape of /q/metrics shows them. */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "queue"))
class WaitingLineMetricsTest {

    @Inject
    WaitingLineMetrics metrics;
    @Inject
    AdmitNextBatch admission;
    @Inject
    MeterRegistry meters;

    @Test
    void aSalesLineAndItsAdmittedAreGaugedPerConcertAndAdmissionsCounted() {
        long concert = freshConcertId();
        long other = freshConcertId();
        for (int i = 0; i < 5; i++) {
            register(concert, "line-" + concert + "-" + i).statusCode(201);
        }
        register(other, "line-" + other).statusCode(201);
        metrics.refresh();
        assertThat(gauge("queue.waiting", concert)).isEqualTo(5);
        assertThat(gauge("queue.active", concert)).isZero();
        assertThat(gauge("queue.waiting", other)).isEqualTo(1);

        assertThat(admission.admit(concert, 1).activated()).hasSize(5); // batch size 20: the whole line
        metrics.refresh();
        assertThat(gauge("queue.waiting", concert)).isZero();
        assertThat(gauge("queue.active", concert)).isEqualTo(5);
        assertThat(gauge("queue.waiting", other)).isEqualTo(1);
        assertThat(meters.counter("queue.tokens.activated", "concert", Long.toString(concert)).count()).isEqualTo(5);

        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("queue_waiting{concert=\"" + other + "\"} 1.0"))
                .body(containsString("queue_active{concert=\"" + concert + "\"} 5.0"))
                .body(containsString("queue_tokens_activated_total{concert=\"" + concert + "\"} 5.0"))
                // no pre-queue (the sale was open when they came): a series of 0 all the same, for the dashboard's panel
                .body(containsString("queue_pre_queue{concert=\"" + concert + "\"} 0.0"));
    }

    private double gauge(String name, long concert) {
        return meters.get(name).tag("concert", Long.toString(concert)).gauge().value();
    }
}
