package io.concertticket.queue.application;

import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.queue.ConcurrentHttp;
import io.concertticket.queue.KafkaTestSupport;
import io.concertticket.queue.infrastructure.QueueReadModel;
import io.concertticket.testing.Sql;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static io.concertticket.queue.KafkaTestSupport.isTokenEvent;
import static io.concertticket.queue.KafkaTestSupport.parse;
import static io.concertticket.queue.QueueTestSupport.freshConcertId;
import static io.concertticket.queue.QueueTestSupport.hopToken;
import static io.concertticket.queue.QueueTestSupport.poll;
import static io.concertticket.queue.QueueTestSupport.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** Runs with tokens active for 3 s, dropped after 6 s of silence, at most 30 active per concert, sweeps on. */
@QuarkusTest
@TestProfile(ShortLivedTokensProfile.class)
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "queue"))
class TokenExpiryTest {

    @TestHTTPResource("/api/v1/queue/tokens")
    URI tokensUri;
    private static volatile URI tokensUriStatic;
    @Inject
    AdmitNextBatch admission;
    @Inject
    QueueReadModel readModel;
    @Inject
    Sql sql;

    @org.junit.jupiter.api.BeforeEach
    void rememberUri() {
        tokensUriStatic = tokensUri;
    }

    private String column(String column, String token) {
        return (String) sql.value("SELECT " + column + " FROM queue_token WHERE id = ?", UUID.fromString(token));
    }

    @Test
    void anActiveTokenExpiresAfterItsActivePeriodAndItsAccessTokenStopsVerifying() throws Exception {
        long concert = freshConcertId();
        String token = register(concert, "short-lived").statusCode(201).extract().path("token");
        admission.admit(concert, 1);
        readModel.refresh();
        String jwt = poll(token, "short-lived").body("status", equalTo("ACTIVE")).extract().path("accessToken");
        assertThat(jwt).isNotBlank();

        await().atMost(Duration.ofSeconds(60)).until(() -> "EXPIRED".equals(column("status", token)));
        assertThat(column("expiry_reason", token)).isEqualTo("TIMEOUT");
        poll(token, "short-lived").body("status", equalTo("EXPIRED")).body("reason", equalTo("TIMEOUT"));

        var expired = KafkaTestSupport.readUntil("queue.token-events", r -> isTokenEvent(r, "TokenExpired", token), Duration.ofSeconds(60))
                .stream().filter(r -> isTokenEvent(r, "TokenExpired", token)).toList();
        assertThat(parse(expired.get(0).value()).path("data").path("reason").asText()).isEqualTo("TIMEOUT");

        // the signature is still good, the expiry is not
        assertThatThrownBy(() -> AccessTokenTest.gatewayVerifier().processToClaims(jwt))
                .isInstanceOfSatisfying(InvalidJwtException.class, e -> assertThat(e.hasExpired()).isTrue());
    }

    @Test
    void waitingTokensWhoseOwnerStopsPollingAreDroppedAndTheLineClosesUp() throws Exception {
        long concert = freshConcertId();
        Map<String, String> polling = new ConcurrentHashMap<>();
        ScheduledExecutorService poller = keepPolling(polling);
        try {
            String polled1 = register(concert, "keeps-polling-1").statusCode(201).extract().path("token");
            polling.put(polled1, "keeps-polling-1");
            String silent = register(concert, "goes-away").statusCode(201).extract().path("token");
            String polled2 = register(concert, "keeps-polling-2").statusCode(201).extract().path("token");
            polling.put(polled2, "keeps-polling-2");

            await().atMost(Duration.ofSeconds(60)).until(() -> "EXPIRED".equals(column("status", silent)));
            assertThat(column("expiry_reason", silent)).isEqualTo("ABANDONED");
            assertThat(column("status", polled1)).isEqualTo("STANDBY");
            assertThat(column("status", polled2)).isEqualTo("STANDBY");

            // the gap no longer counts: the third arrival is now second
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> poll(polled2, "keeps-polling-2").body("position", equalTo(2)));
            poll(silent, "goes-away").body("status", equalTo("EXPIRED")).body("reason", equalTo("ABANDONED"));
            KafkaTestSupport.readUntil("queue.token-events",
                    r -> isTokenEvent(r, "TokenExpired", silent) && "ABANDONED".equals(parse(r.value()).path("data").path("reason").asText()),
                    Duration.ofSeconds(60));

            // admission skips the gap
            assertThat(admission.admit(concert, 1).activated()).extracting(t -> t.id().toString()).containsExactly(polled1, polled2);
        } finally {
            poller.shutdownNow();
        }
    }

    @Test
    void theActiveCapHoldsAdmissionBackUntilActiveTokensExpire() throws Exception {
        long concert = freshConcertId();
        Map<String, String> tokens = new ConcurrentHashMap<>();
        // every owner keeps polling, so the abandon sweep leaves the waiting ones alone
        ScheduledExecutorService poller = keepPolling(tokens);
        try {
            List<ConcurrentHttp.Result> registered = ConcurrentHttp.race(50, 50, i -> ConcurrentHttp.postJson(tokensUri,
                    "{\"concertId\":" + concert + "}", hopToken("capped-" + i)));
            for (int i = 0; i < registered.size(); i++) {
                tokens.put(parse(registered.get(i).body()).path("token").asText(), "capped-" + i);
            }
            List<String> inArrivalOrder = registered.stream().map(r -> parse(r.body()))
                    .sorted(java.util.Comparator.comparingLong(b -> b.path("position").asLong()))
                    .map(b -> b.path("token").asText()).toList();

            assertThat(admission.admit(concert, 1).activated()).hasSize(20);
            assertThat(admission.admit(concert, 2).activated()).hasSize(10);
            assertThat(admission.admit(concert, 3).activated()).isEmpty();

            await().atMost(Duration.ofSeconds(60)).until(() ->
                    sql.queryLong("SELECT count(*) FROM queue_token WHERE concert_id = ? AND status = 'ACTIVE'", concert) == 0);
            assertThat(admission.admit(concert, 4).activated()).extracting(t -> t.id().toString())
                    .containsExactlyElementsOf(inArrivalOrder.subList(30, 50));
        } finally {
            poller.shutdownNow();
        }
    }

    /** Owners that poll their tokens ({@code token → account}) every half second, whatever happens. */
    private static ScheduledExecutorService keepPolling(Map<String, String> tokens) {
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
        poller.scheduleWithFixedDelay(() -> {
            for (Map.Entry<String, String> t : tokens.entrySet()) {
                try {
                    ConcurrentHttp.send(ConcurrentHttp.get(URI.create(tokensUriStatic + "/" + t.getKey()), hopToken(t.getValue())));
                } catch (Exception e) {
                    // keep going: a missed poll is what the test must tolerate, a dead poller is not
                }
            }
        }, 0, 500, TimeUnit.MILLISECONDS);
        return poller;
    }
}
