package io.concertticket.queue.application;

import com.fasterxml.jackson.databind.JsonNode;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.queue.ConcurrentHttp;
import io.concertticket.queue.ConcurrentHttp.Result;
import io.concertticket.queue.infrastructure.QueueReadModel;
import io.concertticket.queue.api.QueueSchedulers;
import io.concertticket.testing.EventContract;
import io.concertticket.testing.HopTokens;
import io.concertticket.testing.KafkaTestConsumer;
import io.concertticket.testing.LongScenario;
import io.concertticket.testing.Sql;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

import static io.concertticket.queue.KafkaTestSupport.parse;
import static io.concertticket.queue.QueueTestSupport.AUDIENCE;
import static io.concertticket.queue.QueueTestSupport.admittedSeqs;
import static io.concertticket.queue.QueueTestSupport.fan;
import static io.concertticket.queue.QueueTestSupport.freshConcertId;
import static io.concertticket.queue.QueueTestSupport.hopToken;
import static io.concertticket.queue.QueueTestSupport.line;
import static io.concertticket.queue.QueueTestSupport.madeUpConcertId;
import static io.concertticket.queue.QueueTestSupport.poll;
import static io.concertticket.queue.QueueTestSupport.raceForRound;
import static io.concertticket.queue.QueueTestSupport.register;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * Operators' live controls on real PostgreSQL and Kafka: the operator API, admission honouring it on every
 * "replica" (threads racing for the same round, as the concurrency tests simulate replicas), the record of
 * changes and the SaleControlChanged events.
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "queue"))
class SaleControlsTest {

    private static final String PROBLEMS = "https://concert-platform.example/problems/";

    @Inject
    AdmitNextBatch admission;
    @Inject
    QueueSchedulers schedulers;
    @Inject
    QueueReadModel readModel;
    @Inject
    Sql sql;
    @TestHTTPResource("/api/v1/queue/tokens")
    URI tokensUri;

    private final String operator = "op-" + UUID.randomUUID();

    private static String operatorToken(String account) {
        return HopTokens.forAccount(account).roles("operator").audience(AUDIENCE).sign();
    }

    private ValidatableResponse act(long concert, String action, Object body) {
        var request = given().auth().oauth2(operatorToken(operator));
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        return request.when().post("/api/v1/admin/sales/" + concert + "/" + action).then();
    }

    private ValidatableResponse pace(long concert, Object body) {
        return given().auth().oauth2(operatorToken(operator)).contentType(ContentType.JSON).body(body)
                .when().patch("/api/v1/admin/sales/" + concert + "/controls").then();
    }

    private ValidatableResponse controlsOf(long concert) {
        return given().auth().oauth2(operatorToken(operator)).when().get("/api/v1/admin/sales/" + concert + "/controls").then();
    }

    private ValidatableResponse changesOf(long concert) {
        return given().auth().oauth2(operatorToken(operator)).when().get("/api/v1/admin/sales/" + concert + "/changes").then();
    }

    /** The sale's public status, as anyone sees it. */
    private static ValidatableResponse publicStatus(long concert) {
        return given().when().get("/api/v1/queue/sales/" + concert).then().statusCode(200);
    }

    private long active(long concert) {
        return sql.queryLong("SELECT count(*) FROM queue_token WHERE concert_id = ? AND status = 'ACTIVE'", concert);
    }

    private void refresh() throws Exception {
        readModel.refresh();
    }

    @Test
    void whilePausedNobodyIsAdmittedPlacesAreFrozenAndTheWaitIsUnknownThenResumeContinuesInOrder() throws Exception {
        long concert = freshConcertId();
        List<String> tokens = line(concert, 60);
        assertThat(admission.admit(concert, 1).activated()).hasSize(20);

        act(concert, "pause", null).statusCode(200)
                .body("action", equalTo("pause")).body("operator", equalTo(operator))
                .body("before.admission", equalTo("RUNNING")).body("after.admission", equalTo("PAUSED"));
        for (long round = 2; round <= 6; round++) {
            assertThat(raceForRound(admission, concert, round, 4)).noneMatch(AdmitNextBatch.Admission::claimed);
        }
        schedulers.admitDueRooms();
        assertThat(active(concert)).isEqualTo(20);
        refresh();
        String waiting = tokens.get(29);
        poll(waiting, fan(concert, 29)).statusCode(200)
                .body("status", equalTo("WAITING")).body("position", equalTo(10)).body("ahead", equalTo(9))
                .body("waitTimeKnown", equalTo(false)).body("estimatedWaitSeconds", nullValue())
                .body("admission", equalTo("PAUSED"));
        // pausing a paused sale does not apply
        act(concert, "pause", null).statusCode(409).contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "action-not-applicable")).body("action", equalTo("pause"));

        act(concert, "resume", null).statusCode(200).body("after.admission", equalTo("RUNNING"));
        List<AdmitNextBatch.Admission> next = raceForRound(admission, concert, 7, 4);
        assertThat(next.stream().filter(AdmitNextBatch.Admission::claimed)).hasSize(1);
        assertThat(admittedSeqs(next)).containsExactlyElementsOf(LongStream.rangeClosed(21, 40).boxed().toList());
        refresh();
        poll(waiting, fan(concert, 29)).statusCode(200).body("status", equalTo("ACTIVE"));
        act(concert, "resume", null).statusCode(409).body("type", equalTo(PROBLEMS + "action-not-applicable"));
    }

    @Test
    void aNewBatchSizeTakesEffectAtTheNextRoundOnEveryReplica() throws Exception {
        long concert = freshConcertId();
        line(concert, 100);
        assertThat(admittedSeqs(raceForRound(admission, concert, 1, 8))).hasSize(20);

        pace(concert, Map.of("batchSize", 7)).statusCode(200)
                .body("action", equalTo("change-pace")).body("before.batchSize", equalTo(20)).body("after.batchSize", equalTo(7));
        List<AdmitNextBatch.Admission> second = raceForRound(admission, concert, 2, 8);
        assertThat(second.stream().filter(AdmitNextBatch.Admission::claimed)).hasSize(1);
        assertThat(admittedSeqs(second)).containsExactlyElementsOf(LongStream.rangeClosed(21, 27).boxed().toList());

        pace(concert, Map.of("batchSize", 3, "maxActive", 32)).statusCode(200).body("after.maxActive", equalTo(32));
        assertThat(admittedSeqs(raceForRound(admission, concert, 3, 8))).containsExactly(28L, 29L, 30L);
        // the cap: 30 active, 32 allowed
        assertThat(admittedSeqs(raceForRound(admission, concert, 4, 8))).containsExactly(31L, 32L);
        assertThat(admittedSeqs(raceForRound(admission, concert, 5, 8))).isEmpty();
        assertThat(active(concert)).isEqualTo(32);
    }

    @Test
    @LongScenario
    void aNewTickMovesTheSalesRoundsToItsPace() throws Exception {
        long concert = freshConcertId();
        line(concert, 200);
        pace(concert, Map.of("tickSeconds", 2, "batchSize", 1)).statusCode(200).body("after.tickSeconds", equalTo(2.0f));
        assertThat(admission.roomsDue()).filteredOn(r -> r.concertId() == concert)
                .singleElement().satisfies(r -> assertThat(r.round() % 2000).isZero());

        // four replicas' admission loops for a little over three ticks
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            long until = System.nanoTime() + Duration.ofMillis(6500).toNanos();
            List<Future<?>> loops = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                loops.add(pool.submit(() -> {
                    while (System.nanoTime() < until) {
                        schedulers.admitDueRooms();
                        Thread.sleep(50);
                    }
                    return null;
                }));
            }
            for (Future<?> f : loops) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<Long> rounds = sql.rows("SELECT CAST(extract(epoch FROM round_at) * 1000 AS bigint) FROM admission_round "
                + "WHERE concert_id = ? ORDER BY round_at", concert).stream().map(r -> ((Number) r.get(0)).longValue()).toList();
        // (the loops admit every room of the shared database, so a pass may take long: no upper bound on the rounds)
        assertThat(rounds.size()).isGreaterThanOrEqualTo(3);
        for (int i = 1; i < rounds.size(); i++) {
            assertThat(rounds.get(i) - rounds.get(i - 1)).as("time between two rounds").isEqualTo(2000);
        }
        // one place per round, in arrival order
        assertThat(active(concert)).isEqualTo(rounds.size());
        assertThat(sql.queryLong("SELECT max(seq) FROM queue_token WHERE concert_id = ? AND status = 'ACTIVE'", concert)).isEqualTo(rounds.size());
    }

    @Test
    void queueEveryoneStopsAdmissionAtTheNextRoundAndCanEndTheActiveSessions() throws Exception {
        long concert = freshConcertId();
        List<String> tokens = line(concert, 30);
        assertThat(admission.admit(concert, 1).activated()).hasSize(20);
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        try (KafkaTestConsumer tokenEvents = KafkaTestConsumer.fromEnd(bootstrap, "queue.token-events");
             KafkaTestConsumer controlEvents = KafkaTestConsumer.fromEnd(bootstrap, "queue.sale-control-events")) {
            act(concert, "queue-everyone?endSessions=true", null).statusCode(200)
                    .body("action", equalTo("queue-everyone")).body("after.admission", equalTo("STOPPED"))
                    .body("endedSessions", equalTo(20));
            assertThat(raceForRound(admission, concert, 2, 4)).noneMatch(AdmitNextBatch.Admission::claimed);
            assertThat(active(concert)).isZero();
            assertThat(sql.queryLong("SELECT count(*) FROM queue_token WHERE concert_id = ? AND expiry_reason = 'ENDED_BY_OPERATOR'", concert))
                    .isEqualTo(20);
            refresh();
            poll(tokens.get(0), fan(concert, 0)).statusCode(200)
                    .body("status", equalTo("EXPIRED")).body("reason", equalTo("ENDED_BY_OPERATOR"));
            poll(tokens.get(20), fan(concert, 20)).statusCode(200)
                    .body("status", equalTo("WAITING")).body("position", equalTo(1)).body("admission", equalTo("STOPPED"))
                    .body("waitTimeKnown", equalTo(false));
            act(concert, "queue-everyone", null).statusCode(409);

            // every ended session is announced, so the gateway refuses its access token
            List<ConsumerRecord<String, String>> expired = tokenEvents.await(
                    r -> r.value().contains("ENDED_BY_OPERATOR") && r.value().contains("\"concertId\":" + concert), 20, Duration.ofSeconds(60));
            assertThat(expired).hasSize(20);
            List<ConsumerRecord<String, String>> changed = controlEvents.await(r -> r.key().equals(Long.toString(concert)), 1,
                    Duration.ofSeconds(60));
            assertThat(EventContract.load().brokenRecords(changed)).isEmpty();
            JsonNode data = parse(changed.get(0).value()).path("data");
            assertThat(data.path("action").asText()).isEqualTo("queue-everyone");
            assertThat(data.path("operator").asText()).isEqualTo(operator);
            assertThat(data.path("after").path("admission").asText()).isEqualTo("STOPPED");
            assertThat(data.path("endedSessions").asInt()).isEqualTo(20);
        }
        act(concert, "resume", null).statusCode(200);
        assertThat(admittedSeqs(raceForRound(admission, concert, 3, 4))).containsExactlyElementsOf(LongStream.rangeClosed(21, 30).boxed().toList());
    }

    @Test
    void anOperatorsCloseRacingThreeHundredRegistrationsEndsTheSaleNobodyWaitsAfterwardsAndAdmittedBuyersKeepTheirSession()
            throws Exception {
        long concert = freshConcertId();
        List<String> early = line(concert, 30);
        assertThat(admission.admit(concert, 1).activated()).hasSize(20);
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        try (KafkaTestConsumer tokenEvents = KafkaTestConsumer.fromEnd(bootstrap, "queue.token-events");
             KafkaTestConsumer controlEvents = KafkaTestConsumer.fromEnd(bootstrap, "queue.sale-control-events")) {
            // 300 registrations of distinct accounts and the operator's close, released together
            int closeAt = 150;
            HttpRequest close = HttpRequest.newBuilder(tokensUri.resolve("/api/v1/admin/sales/" + concert + "/close"))
                    .header("Authorization", "Bearer " + operatorToken(operator)).POST(HttpRequest.BodyPublishers.noBody()).build();
            List<Result> results = ConcurrentHttp.race(301, 100, i -> i == closeAt ? close
                    : ConcurrentHttp.postJson(tokensUri, "{\"concertId\":" + concert + "}", hopToken("racer-" + concert + "-" + i)));
            Result closed = results.get(closeAt);
            assertThat(closed.status()).isEqualTo(200);
            JsonNode change = parse(closed.body());
            assertThat(change.path("action").asText()).isEqualTo("close");
            assertThat(change.path("before").path("closed").asBoolean()).isFalse();
            assertThat(change.path("after").path("closed").asBoolean()).isTrue();

            Set<String> accepted = new HashSet<>();
            int refused = 0;
            for (int i = 0; i < results.size(); i++) {
                if (i == closeAt) {
                    continue;
                }
                Result r = results.get(i);
                if (r.status() == 201) {
                    accepted.add(parse(r.body()).path("token").asText());
                } else {
                    assertThat(r.status()).as("registration %d: %s", i, r.body()).isEqualTo(409);
                    assertThat(parse(r.body()).path("type").asText()).isEqualTo(PROBLEMS + "sale-closed");
                    refused++;
                }
            }
            System.out.printf("close raced by 300 registrations: %d accepted before it, %d refused%n", accepted.size(), refused);
            assertThat(accepted.size() + refused).isEqualTo(300);
            // whoever comes after the close is refused, nothing stored
            for (int i = 0; i < 20; i++) {
                register(concert, "after-" + concert + "-" + i).statusCode(409).contentType("application/problem+json")
                        .body("type", equalTo(PROBLEMS + "sale-closed")).body("state", equalTo("CLOSED"));
            }

            // nobody waits: every accepted racer and the 10 early ones still waiting expired SALE_CLOSED; the admitted 20 stay ACTIVE
            assertThat(sql.queryLong("SELECT count(*) FROM queue_token WHERE concert_id = ? AND status = 'STANDBY'", concert)).isZero();
            assertThat(sql.queryLong("SELECT count(*) FROM queue_token WHERE concert_id = ?", concert)).isEqualTo(30 + accepted.size());
            List<String> expired = sql.rows("SELECT CAST(id AS text) FROM queue_token WHERE concert_id = ? AND status = 'EXPIRED' "
                    + "AND expiry_reason = 'SALE_CLOSED'", concert).stream().map(r -> (String) r.get(0)).toList();
            Set<String> expectedExpired = new HashSet<>(accepted);
            expectedExpired.addAll(early.subList(20, 30));
            assertThat(expired).containsExactlyInAnyOrderElementsOf(expectedExpired);
            assertThat(sql.rows("SELECT CAST(id AS text) FROM queue_token WHERE concert_id = ? AND status = 'ACTIVE'", concert).stream()
                    .map(r -> (String) r.get(0)).toList()).containsExactlyInAnyOrderElementsOf(early.subList(0, 20));
            // no more admission, whatever the rounds
            assertThat(raceForRound(admission, concert, 2, 4)).noneMatch(AdmitNextBatch.Admission::claimed);
            assertThat(admission.roomsDue()).noneMatch(r -> r.concertId() == concert);

            // each expiry is announced as the usual TokenExpired; the close once as SaleControlChanged
            List<ConsumerRecord<String, String>> told = tokenEvents.await(
                    r -> r.value().contains("SALE_CLOSED") && r.value().contains("\"concertId\":" + concert), expectedExpired.size(),
                    Duration.ofSeconds(60));
            assertThat(told).extracting(r -> parse(r.value()).path("data").path("tokenId").asText())
                    .containsExactlyInAnyOrderElementsOf(expectedExpired);
            assertThat(EventContract.load().brokenRecords(told)).isEmpty();
            List<ConsumerRecord<String, String>> changed = controlEvents.await(r -> r.key().equals(Long.toString(concert)), 1,
                    Duration.ofSeconds(60));
            assertThat(EventContract.load().brokenRecords(changed)).isEmpty();
            assertThat(parse(changed.get(0).value()).path("data").path("action").asText()).isEqualTo("close");

            // closing again: the same answer, nothing recorded or published again
            act(concert, "close", null).statusCode(200).body("changeId", equalTo(change.path("changeId").asInt()))
                    .body("changedAt", equalTo(change.path("changedAt").asText()));
            assertThat(sql.queryLong("SELECT count(*) FROM sale_control_change WHERE concert_id = ?", concert)).isEqualTo(1);
            assertThat(controlEvents.drainFor(Duration.ofSeconds(3))).filteredOn(r -> r.key().equals(Long.toString(concert))).hasSize(1);
        }
        refresh();
        poll(early.get(0), fan(concert, 0)).statusCode(200).body("status", equalTo("ACTIVE"));
        poll(early.get(25), fan(concert, 25)).statusCode(200)
                .body("status", equalTo("EXPIRED")).body("reason", equalTo("SALE_CLOSED"));
        publicStatus(concert)
                .body("state", equalTo("CLOSED")).body("closedAt", notNullValue()).body("waiting", equalTo(0));
        given().auth().oauth2(operatorToken(operator)).when().get("/api/v1/admin/sales/" + concert + "/controls")
                .then().statusCode(200).body("closed", equalTo(true));
    }

    @Test
    void closingBeforeTheOpeningTellsThePreQueueAndTheOpeningNeverComes() throws Exception {
        long concert = madeUpConcertId();
        sql.rows("INSERT INTO sale (concert_id, title, opens_at, pre_queue_enabled, pre_queue_lead_seconds, revision) "
                + "VALUES (?, 'later', now() + interval '1 hour', true, 7200, 1) RETURNING concert_id", concert);
        List<String> preQueued = line(concert, 5);
        act(concert, "close", null).statusCode(200).body("after.closed", equalTo(true));
        assertThat(sql.queryLong("SELECT count(*) FROM queue_token WHERE concert_id = ? AND status = 'EXPIRED' AND expiry_reason = 'SALE_CLOSED'",
                concert)).isEqualTo(5);
        sql.rows("UPDATE sale SET opens_at = now() WHERE concert_id = ? RETURNING concert_id", concert);
        schedulers.openDueSales();
        assertThat(sql.queryLong("SELECT count(*) FROM sale WHERE concert_id = ? AND opened_at IS NULL", concert)).as("never opened").isEqualTo(1);
        refresh();
        poll(preQueued.get(0), fan(concert, 0)).statusCode(200)
                .body("status", equalTo("EXPIRED")).body("reason", equalTo("SALE_CLOSED"));
        publicStatus(concert)
                .body("state", equalTo("CLOSED")).body("preQueueWaiting", equalTo(0));
    }

    @Test
    void thePublicStatusShowsTheLiveControlsTheObservedRateAndAnOperatorsClose() throws Exception {
        long concert = freshConcertId();
        line(concert, 30);
        // ten rounds of the configured pace (20 every 5 s) in the last 50 s: 20 places per 5 s were offered
        long now = admission.currentTick();
        for (int i = 9; i >= 0; i--) {
            assertThat(admission.admit(concert, now - i * 5000L).claimed()).isTrue();
        }
        refresh();
        // 180 places after the first round over 45 s: 4.0/s; only the time since the last round, once the next is a tick overdue, lowers it
        publicStatus(concert)
                .body("state", equalTo("OPEN")).body("admission", equalTo("RUNNING")).body("batchSize", equalTo(20))
                .body("tickSeconds", equalTo(5.0f)).body("maxActive", equalTo(0))
                .body("admissionRatePerSecond", both(greaterThanOrEqualTo(3.0f)).and(lessThanOrEqualTo(4.0f)))
                .body("closedByOperator", equalTo(false));

        pace(concert, Map.of("batchSize", 7, "tickSeconds", 2, "maxActive", 32)).statusCode(200);
        refresh();
        publicStatus(concert)
                .body("admission", equalTo("RUNNING")).body("batchSize", equalTo(7)).body("tickSeconds", equalTo(2.0f))
                .body("maxActive", equalTo(32));
        act(concert, "pause", null).statusCode(200);
        refresh();
        publicStatus(concert)
                .body("admission", equalTo("PAUSED")).body("admissionRatePerSecond", equalTo(0.0f));
        act(concert, "queue-everyone", null).statusCode(200);
        refresh();
        publicStatus(concert)
                .body("admission", equalTo("STOPPED")).body("closedByOperator", equalTo(false));
        act(concert, "close", null).statusCode(200);
        refresh();
        publicStatus(concert)
                .body("state", equalTo("CLOSED")).body("closedByOperator", equalTo(true)).body("closedAt", notNullValue())
                .body("admission", equalTo("STOPPED")).body("batchSize", equalTo(7));
    }

    @Test
    void everyChangeIsRecordedWithWhoWhenWhatAndTheControlsBeforeAndAfter() {
        long concert = freshConcertId();
        line(concert, 1);
        act(concert, "pause", null).statusCode(200);
        pace(concert, Map.of("tickSeconds", 10)).statusCode(200);
        act(concert, "resume", null).statusCode(200);

        given().auth().oauth2(operatorToken("another-operator")).when().get("/api/v1/admin/sales/" + concert + "/changes")
                .then().statusCode(200)
                .body("size()", equalTo(3))
                .body("action", equalTo(List.of("resume", "change-pace", "pause")))
                .body("operator", equalTo(List.of(operator, operator, operator)))
                .body("[1].before.tickSeconds", equalTo(5.0f)).body("[1].after.tickSeconds", equalTo(10.0f))
                .body("[1].after.admission", equalTo("PAUSED"));
        given().auth().oauth2(operatorToken(operator)).when().get("/api/v1/admin/sales/" + concert + "/controls")
                .then().statusCode(200)
                .body("admission", equalTo("RUNNING")).body("tickSeconds", equalTo(10.0f)).body("batchSize", equalTo(20));
        assertThat(sql.queryLong("SELECT count(*) FROM sale_control_change WHERE concert_id = ? AND changed_at <= now()", concert)).isEqualTo(3);
    }

    @Test
    void badValuesAre400NamingTheFieldAnUnknownSaleIs404AndNothingChanges() {
        long concert = freshConcertId();
        line(concert, 1);
        Map<String, Object> bad = Map.of(
                "batchSize", 0,
                "tickSeconds", 601,
                "maxActive", -1);
        bad.forEach((field, value) -> pace(concert, Map.of(field, value)).statusCode(400).contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "validation-failed")).body("field", equalTo(field)));
        pace(concert, "{\"batchSize\": 2.5}").statusCode(400).body("field", equalTo("batchSize"));
        pace(concert, "{\"tickSeconds\": \"fast\"}").statusCode(400).body("field", equalTo("tickSeconds"));
        pace(concert, "{}").statusCode(400).body("field", equalTo("body"));
        given().auth().oauth2(operatorToken(operator)).when().post("/api/v1/admin/sales/" + concert + "/queue-everyone?endSessions=maybe")
                .then().statusCode(400).body("field", equalTo("endSessions"));
        given().auth().oauth2(operatorToken(operator)).when().post("/api/v1/admin/sales/abc/pause")
                .then().statusCode(400).body("field", equalTo("concertId"));
        long unknown = madeUpConcertId();
        act(unknown, "pause", null).statusCode(404).contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "sale-not-found"));
        assertThat(sql.queryLong("SELECT count(*) FROM sale_control_change WHERE concert_id IN (?, ?)", concert, unknown)).isZero();
        assertThat(sql.queryLong("SELECT count(*) FROM sale_control WHERE concert_id = ? AND batch_size IS NOT NULL", concert)).isZero();
    }

    @Test
    void everyControlWorksOnAnAnnouncedSaleNobodyJoinedYetAndOnlyAConcertWithoutASaleIs404() {
        // announced, opening in an hour, nobody registered: no room yet
        long concert = madeUpConcertId();
        sql.rows("INSERT INTO sale (concert_id, title, opens_at, pre_queue_enabled, pre_queue_lead_seconds, revision) "
                + "VALUES (?, 'later', now() + interval '1 hour', false, 0, 1) RETURNING concert_id", concert);
        assertThat(sql.queryLong("SELECT count(*) FROM waiting_room WHERE concert_id = ?", concert)).isZero();
        controlsOf(concert).statusCode(200).body("admission", equalTo("RUNNING")).body("closed", equalTo(false));
        changesOf(concert).statusCode(200).body("size()", equalTo(0));
        act(concert, "pause", null).statusCode(200).body("after.admission", equalTo("PAUSED"));
        act(concert, "resume", null).statusCode(200).body("after.admission", equalTo("RUNNING"));
        pace(concert, Map.of("batchSize", 5)).statusCode(200).body("after.batchSize", equalTo(5));
        act(concert, "queue-everyone?endSessions=true", null).statusCode(200)
                .body("after.admission", equalTo("STOPPED")).body("endedSessions", equalTo(0));
        act(concert, "close", null).statusCode(200).body("after.closed", equalTo(true));
        changesOf(concert).statusCode(200)
                .body("action", equalTo(List.of("close", "queue-everyone", "change-pace", "resume", "pause")));
        controlsOf(concert).statusCode(200).body("admission", equalTo("STOPPED")).body("batchSize", equalTo(5))
                .body("closed", equalTo(true));

        // a concert nobody announced a sale for: every control is 404 sale-not-found naming it, and nothing is created
        long unknown = madeUpConcertId();
        List<ValidatableResponse> answers = new ArrayList<>();
        for (String action : List.of("pause", "resume", "queue-everyone", "queue-everyone?endSessions=true", "close")) {
            answers.add(act(unknown, action, null));
        }
        answers.add(pace(unknown, Map.of("batchSize", 5)));
        answers.add(controlsOf(unknown));
        answers.add(changesOf(unknown));
        for (ValidatableResponse answer : answers) {
            answer.statusCode(404).contentType("application/problem+json")
                    .body("type", equalTo(PROBLEMS + "sale-not-found")).body("concertId", equalTo(unknown));
        }
        assertThat(sql.queryLong("SELECT count(*) FROM waiting_room WHERE concert_id = ?", unknown)).isZero();
        assertThat(sql.queryLong("SELECT count(*) FROM sale_control WHERE concert_id = ?", unknown)).isZero();
        assertThat(sql.queryLong("SELECT count(*) FROM sale_control_change WHERE concert_id = ?", unknown)).isZero();
        assertThat(sql.queryLong("SELECT count(*) FROM sale WHERE concert_id = ?", unknown)).isZero();
    }

    @Test
    void onlyOperatorsReachTheControls() {
        long concert = freshConcertId();
        line(concert, 1);
        given().when().post("/api/v1/admin/sales/" + concert + "/pause")
                .then().statusCode(401).contentType("application/problem+json").body("type", equalTo(PROBLEMS + "unauthenticated"));
        String buyer = HopTokens.forAccount("buyer-" + UUID.randomUUID()).audience(AUDIENCE).sign();
        given().auth().oauth2(buyer).when().post("/api/v1/admin/sales/" + concert + "/pause")
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(buyer).when().get("/api/v1/admin/sales/" + concert + "/changes").then().statusCode(403);
        given().auth().oauth2(buyer).contentType(ContentType.JSON).body(Map.of("batchSize", 1))
                .when().patch("/api/v1/admin/sales/" + concert + "/controls").then().statusCode(403);
        assertThat(sql.queryLong("SELECT count(*) FROM sale_control WHERE concert_id = ?", concert)).isZero();
    }
}
