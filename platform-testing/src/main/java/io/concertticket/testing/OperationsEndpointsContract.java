package io.concertticket.testing;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * What every service serves for operations (docs/deployment.md): readiness UP once its dependencies are, Prometheus
 * metrics, and its OpenAPI document. A service's {@code OperationsEndpointsTest} extends this as a
 * {@code @QuarkusTest} with the real infrastructure it needs, and adds what is its own.
 */
public abstract class OperationsEndpointsContract {

    /** False for a service whose {@code /q/openapi} is not its own SmallRye document (the gateway's merged one). */
    protected boolean servesItsOwnOpenApi() {
        return true;
    }

    @Test
    void isReadyOnceItsDependenciesAreUp() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")));
    }

    @Test
    void servesPrometheusMetrics() {
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void servesItsOpenApiDocument() {
        if (servesItsOwnOpenApi()) {
            given().accept("application/json").when().get("/q/openapi").then().statusCode(200).body("openapi", containsString("3."));
        }
    }
}
