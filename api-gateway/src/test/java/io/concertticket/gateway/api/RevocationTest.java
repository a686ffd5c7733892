package io.concertticket.gateway.api;

import io.concertticket.gateway.support.FakeServices;
import io.concertticket.gateway.support.Fakes;
import io.concertticket.gateway.support.HopTokenClaims;
import io.concertticket.gateway.support.Tokens;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.testing.CloudEvents;
import io.concertticket.testing.KafkaTestConsumer;
import io.concertticket.testing.KafkaTestProducer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** Revocation of admission tokens through real Kafka: TokenExpired events published as queue-service publishes them. */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
@WithTestResource(FakeServices.class)
class RevocationTest {

    private static final String TOPIC = "queue.token-events";
    private static final String SEATS = "/api/v1/schedules/7/seats";
    private static KafkaTestProducer producer;

    @BeforeAll
    static void connect() {
        producer = KafkaTestProducer.to(bootstrap());
    }

    @BeforeEach
    void gatewayHasReplayedTheTopic() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200));
    }

    @AfterAll
    static void disconnect() {
        producer.close();
    }

    @Test
    void aTokenExpiredEventRevokesTheTokenWithinASecond() throws Exception {
        UUID tokenId = UUID.randomUUID();
        String token = Tokens.admission("user-r1", 42, tokenId);
        sale(token, "user-r1").then().statusCode(200);

        publish("user-r1", tokenExpired(tokenId, "user-r1", "PAYMENT_COMPLETED"));
        long published = System.nanoTime();

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                sale(token, "user-r1")
                        .then().statusCode(401).body("reason", equalTo("revoked-token")));
        System.out.printf("revocation took effect %d ms after the event was acknowledged by Kafka%n",
                (System.nanoTime() - published) / 1_000_000);
    }

    @Test
    void tokenActivatedChangesNothingAndOtherTokensStayValid() throws Exception {
        UUID tokenId = UUID.randomUUID();
        String token = Tokens.admission("user-r2", 42, tokenId);
        publish("user-r2", envelope("TokenActivated", Map.of("tokenId", tokenId.toString(), "userId", "user-r2", "concertId", 42,
                "activatedAt", Instant.now().toString(), "expiresAt", Instant.now().plusSeconds(600).toString())));
        UUID other = UUID.randomUUID();
        String revokedToken = Tokens.admission("user-r3", 42, other);
        publish("user-r3", tokenExpired(other, "user-r3", "ABANDONED"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                sale(revokedToken, "user-r3").then().statusCode(401));
        sale(token, "user-r2").then().statusCode(200);
    }

    @Test
    void anUnusableEventIsDeadLetteredAndConsumptionGoesOn() throws Exception {
        String marker = UUID.randomUUID().toString();
        publish("poison", "{not json " + marker);
        publish("poison", envelope("TokenExploded", Map.of("marker", marker)));
        UUID tokenId = UUID.randomUUID();
        String token = Tokens.admission("user-r4", 42, tokenId);
        publish("user-r4", tokenExpired(tokenId, "user-r4", "TIMEOUT"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                sale(token, "user-r4").then().statusCode(401));

        List<ConsumerRecord<String, String>> mine;
        try (KafkaTestConsumer deadLetters = KafkaTestConsumer.fromBeginning(bootstrap(), "api-gateway.dead-letter")) {
            mine = deadLetters.await(r -> r.value() != null && r.value().contains(marker), 2, Duration.ofSeconds(30));
        }
        assertThat(mine).hasSize(2);
        assertThat(mine).allSatisfy(r -> {
            Header reason = r.headers().lastHeader("dead-letter-reason");
            assertThat(reason).isNotNull();
            assertThat(new String(reason.value(), StandardCharsets.UTF_8)).isNotBlank();
        });
        assertThat(mine).anySatisfy(r -> assertThat(new String(r.headers().lastHeader("dead-letter-reason").value(),
                StandardCharsets.UTF_8)).contains("TokenExploded"));
    }

    /**
     * 200 concurrent requests, each with its own token, half of them revoked: every revoked one is refused
     * and every other one reaches the service as exactly its own user (identity never crosses requests).
     */
    @Test
    void underConcurrentLoadRevokedTokensAreRefusedAndEveryOtherRequestKeepsItsOwnIdentity() throws Exception {
        int n = 200;
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> tokens = new ArrayList<>();
        List<String> identities = new ArrayList<>();
        List<UUID> revoked = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            UUID tokenId = UUID.randomUUID();
            tokens.add(Tokens.admission("u-" + run + "-" + i, 1000 + i, tokenId));
            identities.add(Tokens.bearer("u-" + run + "-" + i));
            if (i % 2 == 0) {
                revoked.add(tokenId);
                publish("u-" + run + "-" + i, tokenExpired(tokenId, "u-" + run + "-" + i, "PAYMENT_COMPLETED"));
            }
        }
        String lastRevoked = tokens.get(n - 2);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                given().header("Authorization", identities.get(n - 2)).header("Admission-Token", lastRevoked)
                        .get(SEATS).then().statusCode(401));

        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        URI uri = URI.create(RestAssured.baseURI + ":" + RestAssured.port + SEATS);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> responses = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                        .header("Authorization", identities.get(i))
                        .header("Admission-Token", tokens.get(i))
                        .header("X-Forwarded-For", Fakes.uniqueClient())
                        .header("X-User-Id", "spoofed").GET().build();
                responses.add(pool.submit(() -> {
                    start.await();
                    return client.send(request, HttpResponse.BodyHandlers.ofString());
                }));
            }
            start.countDown();
            for (int i = 0; i < n; i++) {
                HttpResponse<String> response = responses.get(i).get();
                if (i % 2 == 0) {
                    assertThat(response.statusCode()).as("revoked token %d", i).isEqualTo(401);
                    assertThat(response.body()).contains("revoked-token");
                } else {
                    assertThat(response.statusCode()).as("valid token %d", i).isEqualTo(200);
                    Map<String, Object> headers = io.restassured.path.json.JsonPath.from(response.body()).getMap("headers");
                    assertThat(headers.get("x-user-id")).isNull();
                    JwtClaims hop = HopTokenClaims.verified((String) headers.get("authorization"), "concert-service");
                    assertThat(hop.getSubject()).isEqualTo("u-" + run + "-" + i);
                    assertThat(((Number) hop.getClaimValue("concert_id")).longValue()).isEqualTo(1000 + i);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(revoked).hasSize(n / 2);
    }

    /** A sale request with this admission token and an identity token of its account. */
    private static io.restassured.response.Response sale(String admission, String account) {
        return given().header("Authorization", Tokens.bearer(account)).header("Admission-Token", admission).get(SEATS);
    }

    private static String tokenExpired(UUID tokenId, String userId, String reason) {
        return envelope("TokenExpired", Map.of("tokenId", tokenId.toString(), "userId", userId, "concertId", 42,
                "reason", reason, "expiredAt", Instant.now().toString()));
    }

    /** As queue-service publishes it. */
    private static String envelope(String type, Map<String, Object> data) {
        return CloudEvents.json("/queue-service", type, "test", data);
    }

    private static void publish(String key, String value) {
        producer.send(TOPIC, key, value);
    }

    private static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }
}
