package io.concertticket.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.concertticket.checker.CheckReport;
import io.concertticket.e2e.harness.Api;
import io.concertticket.e2e.harness.Api.Reply;
import io.concertticket.e2e.harness.Crowd;
import io.concertticket.e2e.harness.Operator;
import io.concertticket.e2e.harness.Platform;
import io.concertticket.e2e.harness.PlatformExtension;
import io.concertticket.e2e.harness.Shopper;
import io.concertticket.queue.domain.FairShuffle;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's "Running a sale (operators)", request by request, as {@code operator1} with a real Keycloak token
 * through the gateway: create a concert whose sale has a pre-queue, watch its public status, move the window,
 * {@value #BUYERS} signed-in buyers join the pre-queue, the opening puts them in the order the published seed
 * reproduces (FairShuffle, the production reference), pause (nobody admitted, places frozen, no wait told),
 * resume (admission goes on in that order), a new pace while it runs, queue everyone (admission stops, the active
 * sessions end and the gateway refuses their admissions), close (the sale ends: whoever waits EXPIRED {@code SALE_CLOSED},
 * new registrations 409 {@code sale-closed}, closing again the same change), and the
 * record of changes. A buyer on the operator API is 403, nobody signed in 401. Counts of admitted tokens are read
 * from queue-service's database in one statement (an atomic view between rounds); what buyers see, from their polls.
 */
@ExtendWith(PlatformExtension.class)
@Order(10)
class OperatorFlowIT {

    static final int BUYERS = 300;
    static final Duration WAIT = Duration.ofSeconds(60);
    /** The harness' admission: 20 every 1 s (Platform.ADMISSION_BATCH / ADMISSION_TICK), the sale's controls at first. */
    static final int BATCH = Platform.ADMISSION_BATCH;

    @Test
    void anOperatorRunsASaleWithAPreQueueFromCreationToCloseAsTheReadmeSays() throws Exception {
        Platform platform = PlatformExtension.platform();
        Api api = platform.gatewayApi();
        long started = System.nanoTime();
        String run = "opflow-" + UUID.randomUUID().toString().substring(0, 8);

        // ---- OP=$(curl ... grant_type=password client_id=concert-cli username=operator1 ...)
        Operator operator = platform.operator();
        Map<String, String> op = Api.as(operator.identityToken(), null);

        // ---- create the concert: opens in 10 minutes, closes a day later, pre-queue 5 minutes before the opening
        Instant opens = Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofMinutes(10));
        Instant closes = Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofDays(1));
        Reply created = api.post("/api/v1/admin/concerts", op, Map.of("title", "Spring tour " + run, "venue", "Main hall",
                "saleOpensAt", opens.toString(), "saleClosesAt", closes.toString(), "preQueueEnabled", true, "preQueueLeadSeconds", 300));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        long concertId = created.number("concertId");
        assertThat(Instant.parse(created.text("saleOpensAt"))).isEqualTo(opens);
        assertThat(Instant.parse(created.text("saleClosesAt"))).isEqualTo(closes);
        assertThat(created.body().path("preQueueEnabled").asBoolean()).isTrue();
        assertThat(created.number("preQueueLeadSeconds")).isEqualTo(300);
        // its schedule and seats (README: POST .../concerts/$CONCERT/schedules, /api/v1/admin/schedules/{id}/seats)
        Reply schedule = api.post("/api/v1/admin/concerts/" + concertId + "/schedules", op, Map.of(
                "performanceAt", Instant.now().plus(Duration.ofDays(30)).toString(),
                "reservableFrom", Instant.now().minus(Duration.ofHours(1)).toString()));
        assertThat(schedule.status()).as("%s", schedule).isEqualTo(201);
        long scheduleId = schedule.number("scheduleId");
        Reply seats = api.post("/api/v1/admin/schedules/" + scheduleId + "/seats", op, Map.of("seatCount", 10, "price", 5_000));
        assertThat(seats.status()).as("%s", seats).isEqualTo(201);

        // ---- watch it, no sign-in: ANNOUNCED with the window as created
        Reply announced = operator.awaitSaleState(concertId, "ANNOUNCED");
        assertThat(Instant.parse(announced.text("opensAt"))).isEqualTo(opens);
        assertThat(Instant.parse(announced.text("closesAt"))).isEqualTo(closes);
        assertThat(announced.body().path("preQueueEnabled").asBoolean()).isTrue();
        assertThat(Instant.parse(announced.text("preQueueOpensAt"))).isEqualTo(opens.minusSeconds(300));
        assertThat(announced.number("preQueueLeadSeconds")).isEqualTo(300);
        assertThat(announced.number("waiting")).isZero();
        assertThat(announced.number("preQueueWaiting")).isZero();
        assertThat(announced.text("shuffleSeed")).isNull();

        // ---- the buyers (accounts of the realm, signed in) and the operator API refusing them and the anonymous
        List<Shopper> buyers = platform.shoppers(api, run, BUYERS, concertId);
        Shopper buyer = buyers.get(0);
        String sale = "/api/v1/admin/sales/" + concertId;
        for (Reply refused : List.of(api.get(sale + "/controls", buyer.signedIn()), api.post(sale + "/pause", buyer.signedIn()),
                api.patch(sale + "/controls", buyer.signedIn(), Map.of("batchSize", 1000)), api.post(sale + "/close", buyer.signedIn()))) {
            assertThat(refused.status()).as("a buyer on the operator API: %s", refused).isEqualTo(403);
            assertThat(refused.problem()).isEqualTo("operator-role-required");
            assertProblemJson(refused);
        }
        for (Reply refused : List.of(api.get(sale + "/controls", Api.anonymous()), api.post(sale + "/pause", Api.anonymous()),
                api.get(sale + "/changes", Api.anonymous()))) {
            assertThat(refused.status()).as("nobody signed in on the operator API: %s", refused).isEqualTo(401);
            assertThat(refused.text("credential")).isEqualTo("identity-token");
            assertThat(refused.text("reason")).isEqualTo("missing-token");
            assertProblemJson(refused);
        }
        Reply unknown = api.get("/api/v1/admin/sales/987654321/controls", op);
        assertThat(unknown.status()).as("%s", unknown).isEqualTo(404);
        assertThat(unknown.problem()).isEqualTo("sale-not-found");
        assertThat(unknown.number("concertId")).isEqualTo(987654321L);
        // an announced sale can be controlled before anyone joined it
        Reply beforeAnyone = api.get(sale + "/controls", op);
        assertThat(beforeAnyone.status()).as("%s", beforeAnyone).isEqualTo(200);
        assertThat(beforeAnyone.body()).isEqualTo(Api.JSON.readTree(
                "{\"admission\":\"RUNNING\",\"batchSize\":20,\"tickSeconds\":1.0,\"maxActive\":0,\"closed\":false}"));

        // ---- before the pre-queue starts a registration is refused: 409 sale-not-open naming opensAt and preQueueOpensAt
        Reply early = buyer.register();
        assertThat(early.status()).as("%s", early).isEqualTo(409);
        assertProblemJson(early);
        assertThat(early.problem()).isEqualTo("sale-not-open");
        assertThat(early.text("state")).isEqualTo("ANNOUNCED");
        assertThat(Instant.parse(early.text("opensAt"))).isEqualTo(opens);
        assertThat(Instant.parse(early.text("preQueueOpensAt"))).isEqualTo(opens.minusSeconds(300));

        // ---- move the window (PUT .../sale): the pre-queue starts now, an hour before the opening
        Reply moved = api.put("/api/v1/admin/concerts/" + concertId + "/sale", op, window(opens, closes, 3600));
        assertThat(moved.status()).as("%s", moved).isEqualTo(200);
        assertThat(moved.number("saleRevision")).isEqualTo(2);
        Reply preQueue = operator.awaitSaleState(concertId, "PRE_QUEUE");
        assertThat(Instant.parse(preQueue.text("preQueueOpensAt"))).isEqualTo(opens.minusSeconds(3600));

        // ---- the buyers join the pre-queue at once: no place yet, told when the sale opens
        List<Reply> joined = Crowd.race(buyers, WAIT, Shopper::register);
        for (Reply r : joined) {
            assertThat(r.status()).as("%s", r).isEqualTo(201);
            assertThat(r.text("status")).isEqualTo("WAITING");
            assertThat(r.body().path("preQueue").asBoolean()).as("%s", r).isTrue();
            assertThat(r.number("position")).isZero();
            assertThat(r.body().path("waitTimeKnown").asBoolean(true)).isFalse();
            assertThat(Instant.parse(r.text("saleOpensAt"))).isEqualTo(opens);
        }
        List<UUID> arrival = buyers.stream().map(s -> UUID.fromString(s.queueToken())).toList();
        assertThat(new HashSet<>(arrival)).hasSize(BUYERS);
        Reply polled = buyer.poll();
        assertThat(polled.body().path("preQueue").asBoolean()).as("%s", polled).isTrue();
        assertThat(polled.number("position")).isZero();
        operator.awaitSaleStatus(concertId, "preQueueWaiting " + BUYERS, s -> s.path("preQueueWaiting").asLong() == BUYERS);
        System.out.printf("e2e: %d buyers in the pre-queue after %d s%n", BUYERS, seconds(started));

        // ---- the controls as they are, then pause before the opening: the opening shuffles, nobody is admitted
        Reply controls = api.get(sale + "/controls", op);
        assertThat(controls.status()).as("%s", controls).isEqualTo(200);
        assertThat(controls.body()).isEqualTo(Api.JSON.readTree(
                "{\"admission\":\"RUNNING\",\"batchSize\":20,\"tickSeconds\":1.0,\"maxActive\":0,\"closed\":false}"));
        List<String> actions = new ArrayList<>();
        assertChange(api.post(sale + "/pause", op), concertId, "pause", operator, "RUNNING", "PAUSED", actions);
        // the public status shows the controls (within a refresh of queue-service's memory)
        JsonNode pausedStatus = operator.awaitSaleStatus(concertId, "the status saying PAUSED", s -> "PAUSED".equals(s.path("admission").asText())).body();
        assertThat(pausedStatus.path("batchSize").asInt()).isEqualTo(BATCH);
        assertThat(pausedStatus.path("tickSeconds").asDouble()).isEqualTo(1.0);
        assertThat(pausedStatus.path("maxActive").asInt()).isZero();
        assertThat(pausedStatus.path("admissionRatePerSecond").asDouble()).isZero();
        assertThat(pausedStatus.path("closedByOperator").asBoolean(true)).isFalse();

        // the opening, moved to a few seconds from now (the README's PUT once more)
        Instant opening = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(3);
        assertThat(api.put("/api/v1/admin/concerts/" + concertId + "/sale", op, window(opening, closes, 3600)).status()).isEqualTo(200);
        JsonNode open = operator.awaitSaleStatus(concertId, "the opening's seed", s -> s.path("shuffleSeed").isTextual()).body();
        assertThat(open.path("state").asText()).isEqualTo("OPEN");
        assertThat(open.path("preQueueShuffled").asLong()).isEqualTo(BUYERS);
        String seed = open.path("shuffleSeed").asText();
        assertThat(seed).matches("[0-9a-f]{64}");
        assertThat(Instant.parse(open.path("openedAt").asText())).isAfterOrEqualTo(opening.minusSeconds(1));

        // every buyer now has a place: the order the published seed reproduces, and nobody admitted while paused
        List<UUID> order = FairShuffle.order(seed, arrival);
        Map<UUID, Shopper> byToken = new LinkedHashMap<>();
        buyers.forEach(s -> byToken.put(UUID.fromString(s.queueToken()), s));
        List<Shopper> line = order.stream().map(byToken::get).toList();
        List<Reply> places = awaitPolls(buyers, r -> r.body().path("position").asLong() > 0);
        for (Reply r : places) {
            assertWaitingOnHold(r, "PAUSED");
        }
        List<Long> placesAtOpening = positionsOf(buyers, places);
        assertThat(placesAtOpening).as("one place each").containsExactlyInAnyOrderElementsOf(
                IntStream.rangeClosed(1, BUYERS).mapToObj(i -> (long) i).toList());
        assertThat(IntStream.range(0, BUYERS).boxed().sorted(Comparator.comparingLong(placesAtOpening::get)).map(arrival::get).toList())
                .as("the buyers by place: the order FairShuffle gives with the published seed").containsExactlyElementsOf(order);
        assertThat(order).as("a shuffle, not the arrival order").isNotEqualTo(arrival);

        // ---- paused: several ticks later nobody is admitted and every place is the same
        Thread.sleep(3 * Platform.ADMISSION_TICK.toMillis());
        List<Reply> frozen = Crowd.race(buyers, WAIT, Shopper::poll);
        for (Reply r : frozen) {
            assertWaitingOnHold(r, "PAUSED");
        }
        assertThat(positionsOf(buyers, frozen)).isEqualTo(placesAtOpening);
        assertThat(admittedInLine(platform, concertId, order)).isZero();

        // ---- resume: admission goes on from the head of the line, in that order
        assertChange(api.post(sale + "/resume", op), concertId, "resume", operator, "PAUSED", "RUNNING", actions);
        int first = awaitAdmitted(platform, concertId, order, n -> n > 0);
        assertThat(first % BATCH).as("whole batches of %d", BATCH).isZero();
        Shopper admitted = line.get(0);
        admitted.awaitAdmission(WAIT);
        Reply seatList = admitted.seats(scheduleId);
        assertThat(seatList.status()).as("%s", seatList).isEqualTo(200);

        // ---- pause while admission runs: from the answer on nobody is admitted, places frozen, no wait told
        assertChange(api.post(sale + "/pause", op), concertId, "pause", operator, "RUNNING", "PAUSED", actions);
        int atPause = admittedInLine(platform, concertId, order);
        assertThat(atPause % BATCH).isZero();
        List<Shopper> waiting = line.subList(atPause, BUYERS);
        List<Reply> paused = awaitPolls(waiting, r -> "PAUSED".equals(r.text("admission")));
        Thread.sleep(3 * Platform.ADMISSION_TICK.toMillis());
        List<Reply> stillPaused = Crowd.race(waiting, WAIT, Shopper::poll);
        assertThat(admittedInLine(platform, concertId, order)).as("admitted while paused").isEqualTo(atPause);
        for (int i = 0; i < waiting.size(); i++) {
            assertWaitingOnHold(stillPaused.get(i), "PAUSED");
            assertThat(stillPaused.get(i).number("position")).as("place of the %d-th in line", atPause + i + 1).isEqualTo(i + 1);
            assertThat(paused.get(i).number("position")).isEqualTo(i + 1);
        }

        // ---- resume, and change the pace while it runs: 50 every 2 s, at most 500 active (the README's PATCH)
        assertChange(api.post(sale + "/resume", op), concertId, "resume", operator, "PAUSED", "RUNNING", actions);
        Reply pace = api.patch(sale + "/controls", op, Map.of("batchSize", 50, "tickSeconds", 2, "maxActive", 500));
        assertChange(pace, concertId, "change-pace", operator, "RUNNING", "RUNNING", actions);
        assertThat(pace.body().path("after").path("batchSize").asInt()).isEqualTo(50);
        assertThat(pace.body().path("after").path("tickSeconds").asDouble()).isEqualTo(2.0);
        assertThat(pace.body().path("after").path("maxActive").asInt()).isEqualTo(500);
        int atPace = admittedInLine(platform, concertId, order);
        List<Integer> steps = admissionSteps(platform, concertId, order, atPace, 2);
        assertThat(steps).as("admitted per round after the change (from %d)", atPace).containsExactly(50, 50);
        JsonNode running = operator.awaitSaleStatus(concertId, "the status showing the new pace", s -> s.path("batchSize").asInt() == 50).body();
        assertThat(running.path("admission").asText()).isEqualTo("RUNNING");
        assertThat(running.path("tickSeconds").asDouble()).isEqualTo(2.0);
        assertThat(running.path("maxActive").asInt()).isEqualTo(500);

        // ---- queue everyone, ending the active sessions: nobody admitted any more, the admissions refused
        Reply stop = api.post(sale + "/queue-everyone?endSessions=true", op);
        assertChange(stop, concertId, "queue-everyone", operator, "RUNNING", "STOPPED", actions);
        int ended = (int) stop.number("endedSessions");
        assertThat(admittedInLine(platform, concertId, order)).as("everyone admitted was active and is ended").isEqualTo(ended);
        assertThat(ended).isGreaterThanOrEqualTo(atPace + 100);
        assertThat(countTokens(platform, concertId, "EXPIRED", "ENDED_BY_OPERATOR")).isEqualTo(ended);
        assertThat(countTokens(platform, concertId, "ACTIVE", null)).isZero();
        long waitingAtStop = countTokens(platform, concertId, "STANDBY", null);
        assertThat(waitingAtStop).isEqualTo(BUYERS - ended);
        Thread.sleep(2 * 2_000 + 500);   // two rounds of the new 2 s tick
        assertThat(countTokens(platform, concertId, "STANDBY", null)).as("still waiting after two ticks").isEqualTo(waitingAtStop);
        assertThat(countTokens(platform, concertId, "ACTIVE", null)).isZero();
        List<Shopper> stillWaiting = line.subList(ended, BUYERS);
        for (Reply r : Crowd.race(stillWaiting, WAIT, Shopper::poll)) {
            assertWaitingOnHold(r, "STOPPED");
        }
        Reply endedPoll = admitted.poll();
        assertThat(endedPoll.text("status")).as("%s", endedPoll).isEqualTo("EXPIRED");
        assertThat(endedPoll.text("reason")).isEqualTo("ENDED_BY_OPERATOR");
        Reply refused = awaitReply(() -> admitted.seats(scheduleId), r -> r.is(401), "the ended admission refused");
        assertThat(refused.text("reason")).as("%s", refused).isEqualTo("revoked-token");
        JsonNode stopped = operator.awaitSaleStatus(concertId, "the status saying STOPPED", s -> "STOPPED".equals(s.path("admission").asText())).body();
        assertThat(stopped.path("admissionRatePerSecond").asDouble()).isZero();

        // ---- close the sale: it ends as at its closing time: whoever still waits is told (EXPIRED, SALE_CLOSED) before
        //      the close answers, new registrations 409 sale-closed (problem JSON); closing again answers the same change
        Reply close = api.post(sale + "/close", op);
        assertChange(close, concertId, "close", operator, "STOPPED", "STOPPED", actions);
        assertThat(close.body().path("after").path("closed").asBoolean()).as("%s", close).isTrue();
        assertThat(countTokens(platform, concertId, "STANDBY", null)).as("nobody waits once the close answered").isZero();
        assertThat(countTokens(platform, concertId, "EXPIRED", "SALE_CLOSED")).isEqualTo(waitingAtStop);
        Reply told = awaitReply(stillWaiting.get(0)::poll, r -> "EXPIRED".equals(r.text("status")), "the waiting told of the close");
        assertThat(told.text("reason")).as("%s", told).isEqualTo("SALE_CLOSED");
        JsonNode closedStatus = operator.awaitSaleStatus(concertId, "the status saying CLOSED", s -> "CLOSED".equals(s.path("state").asText())).body();
        assertThat(closedStatus.path("closedByOperator").asBoolean()).isTrue();
        assertThat(closedStatus.path("closedAt").isTextual()).isTrue();
        Shopper latecomer = platform.shoppers(api, run + "-late", 1, concertId).get(0);
        Reply closed = awaitReply(latecomer::register, r -> r.is(409), "registration refused after the close");
        assertProblemJson(closed);
        assertThat(closed.problem()).isEqualTo("sale-closed");
        assertThat(closed.number("concertId")).isEqualTo(concertId);
        Reply again = api.post(sale + "/close", op);
        assertThat(again.status()).as("%s", again).isEqualTo(200);
        assertThat(again.number("changeId")).isEqualTo(close.number("changeId"));
        assertThat(again.text("changedAt")).isEqualTo(close.text("changedAt"));

        // ---- the record of changes, newest first, each naming the operator
        Reply changes = api.get(sale + "/changes", op);
        assertThat(changes.status()).as("%s", changes).isEqualTo(200);
        List<String> recorded = new ArrayList<>();
        long previous = Long.MAX_VALUE;
        for (JsonNode c : changes.body()) {
            recorded.add(c.path("action").asText());
            assertThat(c.path("operator").asText()).isEqualTo(operator.accountId());
            assertThat(c.path("changeId").asLong()).isLessThan(previous);
            previous = c.path("changeId").asLong();
        }
        List<String> newestFirst = new ArrayList<>(actions);
        java.util.Collections.reverse(newestFirst);
        assertThat(recorded).containsExactlyElementsOf(newestFirst);
        System.out.printf("e2e: operator flow done in %d s%n", seconds(started));

        CheckReport report = platform.checkInvariants("the operator flow");
        assertThat(report.violated()).as(report.format()).isEmpty();
    }

    // ---- what the operator sends and is answered -------------------------------------------------------

    /** The body of {@code PUT /api/v1/admin/concerts/{id}/sale} as the README writes it. */
    private static Map<String, Object> window(Instant opens, Instant closes, long leadSeconds) {
        return Map.of("saleOpensAt", opens.toString(), "saleClosesAt", closes.toString(), "preQueueEnabled", true,
                "preQueueLeadSeconds", leadSeconds);
    }

    /** An action's answer: the recorded change (who, what, admission before and after), noted in {@code actions}. */
    private static void assertChange(Reply r, long concertId, String action, Operator operator, String before, String after,
                                     List<String> actions) {
        assertThat(r.status()).as("%s: %s", action, r).isEqualTo(200);
        assertThat(r.text("action")).isEqualTo(action);
        assertThat(r.number("concertId")).isEqualTo(concertId);
        assertThat(r.text("operator")).isEqualTo(operator.accountId());
        assertThat(r.text("changedAt")).isNotNull();
        assertThat(r.body().path("before").path("admission").asText()).as("%s", r).isEqualTo(before);
        assertThat(r.body().path("after").path("admission").asText()).as("%s", r).isEqualTo(after);
        actions.add(action);
    }

    private static void assertProblemJson(Reply r) {
        assertThat(r.header("Content-Type")).as("%s", r).startsWith("application/problem+json");
        assertThat(r.number("status")).isEqualTo(r.status());
        assertThat(r.text("title")).isNotBlank();
    }

    /** A waiting buyer's poll while an operator holds admission: a place, no wait told. */
    private static void assertWaitingOnHold(Reply r, String admission) {
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.text("status")).as("%s", r).isEqualTo("WAITING");
        assertThat(r.text("admission")).as("%s", r).isEqualTo(admission);
        assertThat(r.body().path("waitTimeKnown").asBoolean(true)).as("%s", r).isFalse();
        assertThat(r.body().has("estimatedWaitSeconds")).as("%s", r).isFalse();
        assertThat(r.body().has("preQueue")).as("%s", r).isFalse();
        assertThat(r.number("ahead")).isEqualTo(r.number("position") - 1);
    }

    // ---- watching ---------------------------------------------------------------------------------------

    /** {@code call}'s answer once it satisfies {@code until}, asked every 100 ms for up to {@link #WAIT}. */
    private static Reply awaitReply(Supplier<Reply> call, Predicate<Reply> until, String what) {
        return await(what).atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(call::get, until);
    }

    /**
     * Every one polls (all at once), again every 200 ms, until every answer satisfies {@code until}; the answers in the
     * buyers' order.
     */
    private static List<Reply> awaitPolls(List<Shopper> who, Predicate<Reply> until) {
        return await("every poll as expected").atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    List<Reply> replies = Crowd.race(who, WAIT, Shopper::poll);
                    return new Polls(replies, replies.stream().filter(until.negate()).toList());
                }, polls -> polls.unexpected().isEmpty())
                .replies();
    }

    /** One round of polls, in the buyers' order, and those not as expected (said briefly when the wait fails). */
    private record Polls(List<Reply> replies, List<Reply> unexpected) {
        @Override
        public String toString() {
            return unexpected.size() + " of " + replies.size() + " polls not as expected"
                    + (unexpected.isEmpty() ? "" : ", e.g. " + unexpected.get(0));
        }
    }

    private static List<Long> positionsOf(List<Shopper> who, List<Reply> replies) {
        List<Long> positions = new ArrayList<>();
        for (int i = 0; i < who.size(); i++) {
            positions.add(replies.get(i).number("position"));
        }
        return positions;
    }

    // ---- the line as queue-service stored it (read-only, one statement: between rounds) -------------------

    /**
     * How many of the line have been admitted: the line in its stored order must be the shuffled order, and those
     * no longer waiting must be exactly its head (admission in order).
     */
    private static int admittedInLine(Platform platform, long concertId, List<UUID> order) {
        List<List<Object>> line = platform.database("queue").rows("SELECT id, status FROM queue_token WHERE concert_id = ? ORDER BY seq", concertId);
        List<UUID> ids = line.stream().map(row -> (UUID) row.get(0)).toList();
        List<String> statuses = line.stream().map(row -> (String) row.get(1)).toList();
        assertThat(ids).as("the stored line").containsExactlyElementsOf(order);
        int head = (int) statuses.stream().takeWhile(s -> !s.equals("STANDBY")).count();
        assertThat(statuses.subList(head, statuses.size())).as("behind the admitted head, everyone still waits").allMatch("STANDBY"::equals);
        return head;
    }

    /** Samples the admitted head every 50 ms until it satisfies {@code until}. */
    private static int awaitAdmitted(Platform platform, long concertId, List<UUID> order, java.util.function.IntPredicate until) {
        return await("the admitted head of the line").atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                .until(() -> admittedInLine(platform, concertId, order), until::test);
    }

    /** The sizes of the next {@code rounds} admission rounds after {@code from}, seen by sampling every 50 ms. */
    private static List<Integer> admissionSteps(Platform platform, long concertId, List<UUID> order, int from, int rounds) {
        List<Integer> steps = new ArrayList<>();
        int last = from;
        while (steps.size() < rounds) {
            int seen = last;
            last = awaitAdmitted(platform, concertId, order, n -> n != seen);
            steps.add(last - seen);
        }
        return steps;
    }

    private static long countTokens(Platform platform, long concertId, String status, String reason) {
        return platform.database("queue").queryLong("SELECT count(*) FROM queue_token WHERE concert_id = ? AND status = '" + status + "'"
                + (reason == null ? "" : " AND expiry_reason = '" + reason + "'"), concertId);
    }

    private static long seconds(long since) {
        return Duration.ofNanos(System.nanoTime() - since).toSeconds();
    }
}
