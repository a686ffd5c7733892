package io.concertticket.gateway.api;

import io.concertticket.gateway.support.FakeServices;
import io.concertticket.gateway.support.Fakes;
import io.concertticket.gateway.support.Tokens;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Test configuration (FakeServices): connect timeout 5 s, response timeout 4 s, 2 req/s burst 20, 16 KiB bodies. */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
@WithTestResource(FakeServices.class)
class FailureModesTest {

    private final String token = Tokens.valid("failing", 42, UUID.randomUUID());

    @Test
    void aStoppedServiceGives503AtOnce() {
        Fakes.stop("payment");
        try {
            long started = System.nanoTime();
            given().header("Authorization", "Bearer " + token).contentType("application/json").body("{}")
                    .when().post("/api/v1/payments")
                    .then().statusCode(503).contentType("application/problem+json")
                    .header("Retry-After", "1")
                    .body("service", equalTo("payment-service"))
                    .body("detail", containsString("payment-service"));
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("stopped service answered 503 after %d ms%n", millis);
            // the other services are unaffected
            given().when().get("/api/v1/concerts").then().statusCode(200);
        } finally {
            Fakes.start("payment");
        }
        given().header("Authorization", "Bearer " + token).contentType("application/json").body("{}")
                .when().post("/api/v1/payments").then().statusCode(200);
    }

    @Test
    void aServiceThatDoesNotAnswerGives503AfterTheResponseTimeoutNotAHang() {
        long started = System.nanoTime();
        given().header("X-Forwarded-For", Fakes.uniqueClient())
                .when().get("/api/v1/queue/tokens/hang-" + UUID.randomUUID())
                .then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", "1")
                .body("detail", containsString("did not answer in time"));
        System.out.printf("silent service answered 503 after %d ms (response timeout 4000 ms)%n",
                (System.nanoTime() - started) / 1_000_000);
    }

    @Test
    void aBodyDeclaredLargerThanTheLimitIs413AndNeverForwarded() {
        String path = "/api/v1/payments?big=" + UUID.randomUUID();
        given().header("Authorization", "Bearer " + token).contentType("application/json")
                .body("x".repeat(16 * 1024 + 1))
                .when().post(path)
                .then().statusCode(413).contentType("application/problem+json")
                .body("maxBodyBytes", equalTo(16384));
        assertThat(Fakes.seenBy("payment")).doesNotContain(path);
        given().header("Authorization", "Bearer " + token).contentType("application/json")
                .body("x".repeat(16 * 1024))
                .when().post("/api/v1/payments")
                .then().statusCode(200).body("bodyBytes", equalTo(16384));
    }

    @Test
    void aStreamedBodyGrowingPastTheLimitIs413() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        URI uri = URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/api/v1/payments");
        // An input stream body has no known length: the JDK client sends it chunked.
        HttpRequest tooBig = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[64 * 1024])))
                .build();
        HttpResponse<String> refused = client.send(tooBig, HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(refused.body()).contains("payload-too-large");

        HttpRequest small = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[1000])))
                .build();
        HttpResponse<String> passed = client.send(small, HttpResponse.BodyHandlers.ofString());
        assertThat(passed.statusCode()).isEqualTo(200);
        assertThat(passed.body()).contains("\"bodyBytes\":1000");
    }

    @Test
    void aClientFloodingTheQueueGets429WithRetryAfterWhileOthersPass() throws Exception {
        String flooder = Fakes.uniqueClient();
        int n = 200;
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        URI uri = URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/api/v1/queue/tokens/" + UUID.randomUUID());
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> responses = new ArrayList<>();
        long began;
        try {
            for (int i = 0; i < n; i++) {
                HttpRequest request = HttpRequest.newBuilder(uri).header("X-Forwarded-For", flooder + ", 10.0.0.1").GET().build();
                responses.add(pool.submit(() -> {
                    start.await();
                    return client.send(request, HttpResponse.BodyHandlers.ofString());
                }));
            }
            began = System.nanoTime();
            start.countDown();
            int passed = 0;
            int limited = 0;
            for (Future<HttpResponse<String>> f : responses) {
                HttpResponse<String> response = f.get();
                if (response.statusCode() == 200) {
                    passed++;
                } else {
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
                    assertThat(response.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
                    assertThat(response.body()).contains("rate-limited");
                    limited++;
                }
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            // burst 20, refilled at 2 per second while the flood lasted
            assertThat(passed).isBetween(20, 20 + (int) Math.ceil(seconds * 2) + 1);
            assertThat(passed + limited).isEqualTo(n);
        } finally {
            pool.shutdownNow();
        }
        // another client is not affected by the flooder
        given().header("X-Forwarded-For", Fakes.uniqueClient()).when().get("/api/v1/queue/tokens/" + UUID.randomUUID())
                .then().statusCode(200);
    }

    @Test
    void theRateLimitAppliesOnlyToTheQueue() {
        String client = Fakes.uniqueClient();
        for (int i = 0; i < 30; i++) {
            given().header("X-Forwarded-For", client).when().get("/api/v1/concerts").then().statusCode(200);
        }
    }
}
