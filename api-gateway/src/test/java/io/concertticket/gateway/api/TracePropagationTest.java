package io.concertticket.gateway.api;

import io.concertticket.gateway.support.FakeServices;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** The proxy carries the caller's trace into the service: the fake service echoes the traceparent it received. */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
@WithTestResource(FakeServices.class)
class TracePropagationTest {

    @Test
    void theServiceReceivesTheCallersTraceIdWithTheGatewaysSpanAsParent() {
        String traceId = hex(32);
        String callerSpan = hex(16);
        String received = given().header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .when().get("/api/v1/concerts?page=0&size=3")
                .then().statusCode(200).body("service", equalTo("concert"))
                .header("X-Request-Id", traceId)
                .extract().path("headers.traceparent");
        assertThat(received).matches("00-" + traceId + "-[0-9a-f]{16}-01");
        assertThat(received.substring(36, 52)).as("the gateway's own span is the parent").isNotEqualTo(callerSpan);
    }

    @Test
    void aRequestWithoutTraceStartsOneAtTheGateway() {
        String received = given().when().get("/api/v1/concerts?page=0&size=4")
                .then().statusCode(200).body("service", equalTo("concert"))
                .extract().path("headers.traceparent");
        assertThat(received).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        assertThat(received.substring(3, 35)).isNotEqualTo("0".repeat(32));
    }

    private static String hex(int digits) {
        StringBuilder s = new StringBuilder(digits);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        while (s.length() < digits) {
            s.append(Character.forDigit(r.nextInt(16), 16));
        }
        return s.toString().replaceFirst("^0", "1");
    }
}
