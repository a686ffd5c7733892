package io.concertticket.queue.application;

import com.fasterxml.jackson.databind.JsonNode;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.queue.ConcurrentHttp;
import io.concertticket.queue.ConcurrentHttp.Result;
import io.concertticket.queue.domain.DueRoom;
import io.concertticket.queue.domain.FairShuffle;
import io.concertticket.queue.infrastructure.QueueReadModel;
import io.concertticket.queue.api.QueueSchedulers;
import io.concertticket.queue.infrastructure.SaleCatalogue;
import io.concertticket.queue.infrastructure.WaitingLineMetrics;
import io.concertticket.testing.Sql;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

import static io.concertticket.queue.KafkaTestSupport.parse;
import static io.concertticket.queue.QueueTestSupport.freshConcertId;
import static io.concertticket.queue.QueueTestSupport.hopToken;
import static io.concertticket.queue.QueueTestSupport.madeUpConcertId;
import static io.concertticket.queue.QueueTestSupport.poll;
import static io.concertticket.queue.QueueTestSupport.register;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * Rooms only for announced sales, the pre-queue and its fair opening, closing: through the HTTP API on real
 * PostgreSQL, admission and the sweeps driven tick by tick (they are switched off in tests).
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "queue"))
class SaleLifecycleTest {

    @TestHTTPResource("/api/v1/queue/tokens")
    URI tokens;
    @Inject
    QueueSchedulers schedulers;
    @Inject
    AdmitNextBatch admission;
    @Inject
    QueueReadModel readModel;
    @Inject
    SaleCatalogue sales;
    @Inject
    WaitingLineMetrics metrics;
    @Inject
    OpenSales openings;
    @Inject
    Sql sql;
    @Inject
    MeterRegistry meters;

    /** A sale of a fresh concert opening {@code opensInSeconds} from now (database clock), with or without a pre-queue. */
    private long saleOpeningIn(int opensInSeconds, boolean preQueue, int leadSeconds) {
        long concert = madeUpConcertId();
        sql.rows("INSERT INTO sale (concert_id, title, opens_at, pre_queue_enabled, pre_queue_lead_seconds, revision) "
                + "VALUES (?, 'later', now() + make_interval(secs => ?), ?, ?, 1) RETURNING concert_id", concert, opensInSeconds, preQueue, leadSeconds);
        return concert;
    }

    /** The clock reaches the opening: the sale's opening time is moved to now (what waiting for it would do, without the wait). */
    private void openingTimeComes(long concert) {
        sql.rows("UPDATE sale SET opens_at = now() WHERE concert_id = ? RETURNING concert_id", concert);
    }

    private long rooms(long concert) {
        return sql.queryLong("SELECT count(*) FROM waiting_room WHERE concert_id = ?", concert);
    }

    @Test
    void registrationForAConcertWithoutAnAnnouncedSaleIs404AndCreatesNothing() {
        long concert = madeUpConcertId();
        register(concert, "nobody").statusCode(404)
                .body("type", equalTo("https://concert-platform.example/problems/sale-not-found"))
                .body("concertId", equalTo(concert));
        assertThat(rooms(concert)).isZero();
        assertThat(sql.queryLong("SELECT count(*) FROM queue_token WHERE concert_id = ?", concert)).isZero();
        assertThat(sales.inMemory(concert)).isEmpty();
        given().when().get("/api/v1/queue/sales/" + concert).then().statusCode(404)
                .body("type", equalTo("https://concert-platform.example/problems/sale-not-found"));
    }

    @Test
    void registrationBeforeTheOpeningWithoutAPreQueueIs409NamingTheOpeningAndCreatesNothing() throws Exception {
        long concert = saleOpeningIn(3600, false, 0);
        register(concert, "early").statusCode(409)
                .body("type", equalTo("https://concert-platform.example/problems/sale-not-open"))
                .body("state", equalTo("ANNOUNCED"))
                .body("opensAt", org.hamcrest.Matchers.notNullValue());
        // with a pre-queue that starts later than now: still 409
        long later = saleOpeningIn(3600, true, 600);
        register(later, "early").statusCode(409).body("state", equalTo("ANNOUNCED")).body("preQueueOpensAt", org.hamcrest.Matchers.notNullValue());
        assertThat(rooms(concert) + rooms(later)).isZero();
        assertThat(sql.queryLong("SELECT count(*) FROM queue_token WHERE concert_id IN (?, ?)", concert, later)).isZero();
        readModel.refresh();
        given().when().get("/api/v1/queue/sales/" + concert).then().statusCode(200)
                .body("state", equalTo("ANNOUNCED")).body("preQueueEnabled", equalTo(false)).body("shuffleSeed", nullValue());
    }

    @Test
    void aSaleWhoseClosingTimePassedRefusesRegistrationStopsAdmissionAndTellsTheWaiting() throws Exception {
        long concert = freshConcertId();
        String waiting = register(concert, "w-1").statusCode(201).extract().path("token");
        register(concert, "w-2").statusCode(201);
        // its closing time comes (re-announced with the closing time now, as concert-service would)
        sql.rows("UPDATE sale SET closes_at = now(), revision = revision + 1 WHERE concert_id = ? RETURNING concert_id", concert);
        register(concert, "w-3").statusCode(409)
                .body("type", equalTo("https://concert-platform.example/problems/sale-closed"))
                .body("state", equalTo("CLOSED"));
        assertThat(admission.roomsDue()).extracting(DueRoom::concertId).doesNotContain(concert);
        assertThat(schedulers.expireWaitingOfEndedSales()).isGreaterThanOrEqualTo(2);
        assertThat(sql.queryLong("SELECT count(*) FROM queue_token WHERE concert_id = ? AND status = 'EXPIRED' AND expiry_reason = 'SALE_CLOSED'",
                concert)).isEqualTo(2);
        readModel.refresh();
        poll(waiting, "w-1").statusCode(200).body("status", equalTo("EXPIRED")).body("reason", equalTo("SALE_CLOSED"));
        given().when().get("/api/v1/queue/sales/" + concert).then().statusCode(200).body("state", equalTo("CLOSED"))
                .body("closedByOperator", equalTo(false)).body("closedAt", nullValue());
    }

    @Test
    void twoThousandRegistrationsForMadeUpConcertsLeaveMemoryAndTheAdmissionOfARealSaleUnchanged() throws Exception {
        long real = freshConcertId();
        for (int i = 1; i <= 30; i++) {
            register(real, "real-" + i).statusCode(201).body("position", equalTo(i));
        }
        readModel.refresh();
        double roomsBefore = meters.get("queue.cache.rooms").gauge().value();
        long roomRowsBefore = sql.queryLong("SELECT count(*) FROM waiting_room");
        long salesBefore = sql.queryLong("SELECT count(*) FROM sale");

        // each made-up id is checked below (a room or cache entry kept for one shows), so 2,000 at once show what 10,000 did
        List<Long> madeUp = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            madeUp.add(madeUpConcertId());
        }
        List<Result> results = ConcurrentHttp.race(2_000, 100, i -> ConcurrentHttp.postJson(tokens,
                "{\"concertId\":" + madeUp.get(i) + "}", hopToken("junk-" + i)));
        assertThat(results).allSatisfy(r -> assertThat(r.status()).isEqualTo(404));
        readModel.refresh();

        assertThat(sql.queryLong("SELECT count(*) FROM waiting_room")).isEqualTo(roomRowsBefore);
        assertThat(sql.queryLong("SELECT count(*) FROM sale")).isEqualTo(salesBefore);
        assertThat(sql.queryLong("SELECT count(*) FROM queue_token WHERE user_id LIKE 'junk-%'")).isZero();
        assertThat(madeUp).allSatisfy(id -> assertThat(sales.inMemory(id)).isEmpty());
        assertThat(meters.get("queue.cache.rooms").gauge().value()).isEqualTo(roomsBefore);
        // the real sale admits exactly as before: the first 20 in arrival order, then the next 10
        long tick = admission.currentTick() + 10;
        AdmitNextBatch.Admission first = admission.admit(real, tick);
        assertThat(first.activated()).extracting(t -> t.userId()).containsExactlyElementsOf(
                java.util.stream.IntStream.rangeClosed(1, 20).mapToObj(i -> "real-" + i).toList());
        assertThat(admission.admit(real, tick + 1).activated()).hasSize(10);
    }

    @Test
    void aPreQueueWaitsWithoutPlacesIsShuffledAtTheOpeningByThePublishedSeedAndLaterArrivalsQueueBehindInOrder() throws Exception {
        long concert = saleOpeningIn(3600, true, 7200);
        // 1,000 people join the pre-queue at once
        List<Result> joined = ConcurrentHttp.race(1000, 200, i -> ConcurrentHttp.postJson(tokens,
                "{\"concertId\":" + concert + "}", hopToken("pre-" + i)));
        assertThat(joined).allSatisfy(r -> assertThat(r.status()).isEqualTo(201));
        List<UUID> preQueue = new ArrayList<>();
        for (Result r : joined) {
            JsonNode body = parse(r.body());
            assertThat(body.path("status").asText()).isEqualTo("WAITING");
            assertThat(body.path("preQueue").asBoolean()).isTrue();
            assertThat(body.path("position").asLong()).isZero();
            assertThat(body.path("saleOpensAt").isTextual()).isTrue();
            preQueue.add(UUID.fromString(body.path("token").asText()));
        }
        assertThat(new HashSet<>(preQueue)).hasSize(1000);
        poll(preQueue.get(0).toString(), "pre-0").statusCode(200).body("preQueue", equalTo(true)).body("position", equalTo(0));
        // no admission before the opening, whatever the ticks
        schedulers.admitDueRooms();
        assertThat(admission.roomsDue()).extracting(DueRoom::concertId).doesNotContain(concert);
        assertThat(sql.queryLong("SELECT count(*) FROM queue_token WHERE concert_id = ? AND status = 'ACTIVE'", concert)).isZero();
        metrics.refresh();
        readModel.refresh();
        given().when().get("/api/v1/queue/sales/" + concert).then().statusCode(200)
                .body("state", equalTo("PRE_QUEUE")).body("preQueueWaiting", equalTo(1000)).body("shuffleSeed", nullValue());

        // the opening time comes; the first registrations after it open the sale themselves and queue behind everyone
        openingTimeComes(concert);
        List<UUID> late = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String token = register(concert, "late-" + i).statusCode(201).body("preQueue", nullValue())
                    .body("position", equalTo(1000 + i + 1)).extract().path("token");
            late.add(UUID.fromString(token));
        }
        assertThat(openings.open(concert)).as("opened once, by the first late registration").isFalse();

        readModel.refresh();
        JsonNode status = parse(given().when().get("/api/v1/queue/sales/" + concert).then().statusCode(200)
                .body("state", equalTo("OPEN")).body("preQueueShuffled", equalTo(1000)).extract().asString());
        String seed = status.path("shuffleSeed").asText();
        assertThat(seed).matches("[0-9a-f]{64}");

        // the stored line: the published seed reproduces the pre-queue's order, the late ones follow in arrival order
        List<UUID> line = sql.rows("SELECT id FROM queue_token WHERE concert_id = ? ORDER BY seq", concert).stream()
                .map(r -> (UUID) r.get(0)).toList();
        assertThat(sql.rows("SELECT seq FROM queue_token WHERE concert_id = ? ORDER BY seq", concert).stream()
                .map(r -> ((Number) r.get(0)).longValue()).toList())
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 1050).boxed().toList());
        List<UUID> expected = new ArrayList<>(FairShuffle.order(seed, preQueue));
        expected.addAll(late);
        assertThat(line).containsExactlyElementsOf(expected);
        assertThat(line.subList(0, 1000)).isNotEqualTo(preQueue); // a shuffle, not the arrival order

        // every pre-queue poll now shows its place; admission takes the shuffled order's head
        UUID third = expected.get(2);
        String owner = (String) sql.value("SELECT user_id FROM queue_token WHERE id = ?", third);
        poll(third.toString(), owner).statusCode(200).body("preQueue", nullValue()).body("position", equalTo(3));
        AdmitNextBatch.Admission a = admission.admit(concert, admission.currentTick() + 5);
        assertThat(a.activated()).extracting(t -> t.id()).containsExactlyElementsOf(expected.subList(0, 20));
    }

    @Test
    void theOpeningHappensOnceAtTheFirstAdmissionRoundAfterItsTime() throws Exception {
        long concert = saleOpeningIn(3600, true, 7200);
        for (int i = 0; i < 5; i++) {
            register(concert, "tick-" + i).statusCode(201).body("preQueue", equalTo(true));
        }
        openingTimeComes(concert);
        assertThat(schedulers.openDueSales()).isGreaterThanOrEqualTo(1);
        assertThat(openings.due()).doesNotContain(concert);
        assertThat(openings.open(concert)).isFalse();
        assertThat(sql.queryLong("SELECT count(*) FROM queue_token WHERE concert_id = ? AND seq BETWEEN 1 AND 5", concert)).isEqualTo(5);
        assertThat(sql.queryLong("SELECT last_seq FROM waiting_room WHERE concert_id = ?", concert)).isEqualTo(5);
        assertThat(admission.admit(concert, admission.currentTick() + 3).activated()).hasSize(5);
    }
}
