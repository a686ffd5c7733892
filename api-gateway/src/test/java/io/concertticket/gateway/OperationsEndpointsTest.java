package io.concertticket.gateway;

import io.concertticket.gateway.support.FakeServices;
import io.concertticket.gateway.support.Scrape;
import io.concertticket.gateway.support.Tokens;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.testing.OperationsEndpointsContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
@WithTestResource(FakeServices.class)
class OperationsEndpointsTest extends OperationsEndpointsContract {

    @Inject
    Vertx vertx;

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

    /** A saturated machine, as the gateway's event loops feel it: each held busy for 600 ms shows a delay of 0.5 s or more. */
    @Test
    void eventLoopDelayShowsLoopsHeldBusy() {
        int loops = 0;
        for (EventExecutor loop : vertx.nettyEventLoopGroup()) {
            loops++;
            loop.execute(() -> {
                try {
                    Thread.sleep(600);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        // the gauge is the worst of the last second: keep the worst seen per loop over the scrapes
        Map<String, Double> worst = new HashMap<>();
        int expectedLoops = loops;
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Scrape.series(Scrape.text(), "gateway_event_loop_delay_seconds").forEach((loop, delay) -> worst.merge(loop, delay, Math::max));
            assertThat(worst).as("one series per event loop").hasSize(expectedLoops);
            assertThat(worst.values()).as("the worst delay of each loop, seconds").allSatisfy(delay -> assertThat(delay).isGreaterThanOrEqualTo(0.5));
        });
    }
}
