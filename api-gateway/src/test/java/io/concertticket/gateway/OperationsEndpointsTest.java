package io.concertticket.gateway;

import io.concertticket.gateway.support.FakeServices;
import io.concertticket.gateway.support.Tokens;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.testing.OperationsEndpointsContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
@WithTestResource(FakeServices.class)
class OperationsEndpointsTest extends OperationsEndpointsContract {

    /** Its /q/openapi is the merged document of the services (OpenApiRoute), tested with the routes. */
    @Override
    protected boolean servesItsOwnOpenApi() {
        return false;
    }

    @Test
    void isReadyWithBothKindsOfKeysLoadedAndRevocationsReplayed() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                        .body("checks.find { it.name == 'credentials' }.data.identityProviderKeys", equalTo(true)));
    }

    @Test
    void requestMetricsHaveOneSeriesPerRouteNotPerToken() {
        String token = UUID.randomUUID().toString();
        given().header("Authorization", Tokens.bearer("metrics-" + UUID.randomUUID()))
                .when().get("/api/v1/queue/tokens/" + token).then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("uri=\"/api/v1/queue/tokens/{token}\""))
                .body(not(containsString(token)));
    }
}
