package io.concertticket.queue.application;

import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.queue.ConcurrentHttp;
import io.concertticket.queue.ConcurrentHttp.Result;
import io.concertticket.testing.HopTokens;
import io.concertticket.testing.LongScenario;
import io.concertticket.testing.Sql;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.concertticket.queue.KafkaTestSupport.parse;
import static io.concertticket.queue.QueueTestSupport.AUDIENCE;
import static io.concertticket.queue.QueueTestSupport.freshConcertId;
import static io.concertticket.queue.QueueTestSupport.hopToken;
import static io.concertticket.queue.QueueTestSupport.poll;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Estimates against the real waits, with admission running on its own (20 every second) on real PostgreSQL:
 * the wait a waiting user is told comes true within 20 %, a paused line says its wait is unknown, and
 * queue-everyone stops admission at once.
 */
@QuarkusTest
@LongScenario
@TestProfile(FastAdmissionProfile.class)
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "queue"))
class HonestEstimateTest {

    private static final Duration TICK = FastAdmissionProfile.TICK;
    private static final Duration WINDOW = FastAdmissionProfile.WINDOW;
    private static final long SIX_TICKS = TICK.multipliedBy(6).toMillis();

    @TestHTTPResource("/api/v1/queue/tokens")
    URI tokens;
    @Inject
    Sql sql;

    /** {@code n} accounts join at once; returns their tokens by arrival number (index 0 = seq 1). */
    private List<String> crowd(long concert, int n) throws Exception {
        List<Result> results = ConcurrentHttp.race(n, 100, i -> ConcurrentHttp.postJson(tokens, "{\"concertId\":" + concert + "}",
                hopToken(account(concert, i))));
        String[] bySeq = new String[n];
        for (Result r : results) {
            assertThat(r.status()).isEqualTo(201);
            String token = parse(r.body()).path("token").asText();
            long seq = sql.queryLong("SELECT seq FROM queue_token WHERE id = ?", UUID.fromString(token));
            bySeq[(int) seq - 1] = token;
        }
        return List.of(bySeq);
    }

    private static String account(long concert, int i) {
        return "est-" + concert + "-" + i;
    }

    private String ownerOf(String token) {
        return (String) sql.value("SELECT user_id FROM queue_token WHERE id = ?", UUID.fromString(token));
    }

    private JsonPath look(String token) {
        return poll(token, ownerOf(token)).statusCode(200).extract().jsonPath();
    }

    /** The poll of a place this test watches while it waits: one admitted already fails here, saying so. */
    private JsonPath stillWaiting(String token) {
        JsonPath p = look(token);
        assertThat(p.getString("status")).as("status of the watched place %s", token).isEqualTo("WAITING");
        return p;
    }

    private Instant activatedAt(String token) {
        Object at = sql.value("SELECT activated_at FROM queue_token WHERE id = ?", UUID.fromString(token));
        return at == null ? null : ((Timestamp) at).toInstant();
    }

    private static String operator() {
        return HopTokens.forAccount("op-" + UUID.randomUUID()).roles("operator").audience(AUDIENCE).sign();
    }

    private static void control(long concert, String action) {
        given().auth().oauth2(operator()).when().post("/api/v1/admin/sales/" + concert + "/" + action).then().statusCode(200);
    }

    /**
     * Whether admission has run without a skipped round for about the estimate window: at least
     * {@code window / tick - 1} rounds in the window, one per tick. A round that starts while the admission thread
     * or the database is starved of CPU for longer than a tick is not taken (the next one admits one batch, not
     * two), so the line really slows for a while; an estimate told then cannot come true once admission is back
     * at its pace, whatever the estimator. This test checks estimates against a steady rate only.
     */
    private boolean admissionSteady(long concert) {
        List<Object> r = sql.rows("SELECT count(*), CAST(extract(epoch FROM max(round_at) - min(round_at)) * 1000 AS bigint) "
                + "FROM admission_round WHERE concert_id = ? AND round_at > clock_timestamp() - make_interval(secs => ?)",
                concert, WINDOW.toMillis() / 1000.0).get(0);
        long rounds = ((Number) r.get(0)).longValue();
        return rounds >= WINDOW.dividedBy(TICK) - 1 && ((Number) r.get(1)).longValue() == (rounds - 1) * TICK.toMillis();
    }

    @Test
    void withASteadyRateTheEstimateForPlaceNIsWithinTwentyPercentOfTheRealWait() throws Exception {
        long concert = freshConcertId();
        // the line forms while admission is paused: every place is still waiting when admission starts
        control(concert, "pause");
        List<String> line = crowd(concert, 900);
        look(line.get(line.size() - 1)); // the client's first poll is slow on a loaded machine (seconds): not one that is timed
        control(concert, "resume");

        // once admission is steady, the places 300, 400 and 500 behind its head are looked at one after the other;
        // far enough back that a round more or less (a second, the estimate's rounding) is well within 20 %
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> admissionSteady(concert));
        int head = (int) sql.queryLong("SELECT served_up_to FROM room_admission WHERE concert_id = ?", concert);
        System.out.printf("admission steady with %d admitted%n", head); // a figure for the notes
        assertThat(head + 500).as("the line reaches 500 places behind the head (%d)", head).isLessThanOrEqualTo(line.size());
        record Told(String token, long position, long estimate, long pollAfter, Instant before, Instant after) {
        }
        List<Told> told = new ArrayList<>();
        for (int placesBack : new int[]{300, 400, 500}) {
            String token = line.get(head + placesBack - 1);
            String hop = hopToken(ownerOf(token));
            // the estimate was made between these two instants; the real wait is measured from both
            Instant before = Instant.now();
            JsonPath p = given().auth().oauth2(hop).when().get(tokens + "/" + token).then().statusCode(200).extract().jsonPath();
            Instant after = Instant.now();
            assertThat(p.getString("status")).isEqualTo("WAITING");
            assertThat(p.getBoolean("waitTimeKnown")).isTrue();
            assertThat(p.getString("admission")).isEqualTo("RUNNING");
            assertThat(p.getLong("ahead")).isEqualTo(p.getLong("position") - 1);
            told.add(new Told(token, p.getLong("position"), p.getLong("estimatedWaitSeconds"), p.getLong("pollAfterSeconds"), before, after));
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> activatedAt(told.get(told.size() - 1).token()) != null);
        for (Told t : told) {
            Instant activated = activatedAt(t.token());
            double longest = Duration.between(t.before(), activated).toMillis() / 1000.0;
            double shortest = Duration.between(t.after(), activated).toMillis() / 1000.0;
            // a figure for the notes, not an assertion
            System.out.printf("place %d: told %d s, admitted after %.2f-%.2f s (poll after %d s)%n", t.position(), t.estimate(),
                    shortest, longest, t.pollAfter());
            assertThat((double) t.estimate()).as("estimate for place %d, real wait %.2f-%.2f s", t.position(), shortest, longest)
                    .isBetween(shortest * 0.8, longest * 1.2);
        }
        // further back, a longer wait and sparser polling
        assertThat(told.get(2).pollAfter()).isGreaterThan(told.get(0).pollAfter());
    }

    @Test
    void aPausedLineSaysItsWaitIsUnknownAndQueueEveryoneStopsAdmissionAtOnce() throws Exception {
        long concert = freshConcertId();
        // the line forms while admission is paused: 400 registrations take many seconds on a loaded machine, and
        // admission (20 a second) would otherwise reach the last place before it is watched
        control(concert, "pause");
        List<String> line = crowd(concert, 400);
        String last = line.get(399);
        control(concert, "resume");
        await().atMost(Duration.ofSeconds(30)).until(() -> stillWaiting(last).getBoolean("waitTimeKnown"));

        control(concert, "pause");
        long admitted = sql.queryLong("SELECT count(*) FROM queue_token WHERE concert_id = ? AND status <> 'STANDBY'", concert);
        await().atMost(Duration.ofSeconds(5)).until(() -> "PAUSED".equals(stillWaiting(last).getString("admission")));
        JsonPath paused = stillWaiting(last);
        assertThat(paused.getBoolean("waitTimeKnown")).isFalse();
        assertThat(paused.getString("estimatedWaitSeconds")).isNull();
        long position = paused.getLong("position");
        Thread.sleep(SIX_TICKS);
        assertThat(sql.queryLong("SELECT count(*) FROM queue_token WHERE concert_id = ? AND status <> 'STANDBY'", concert)).isEqualTo(admitted);
        assertThat(stillWaiting(last).getLong("position")).isEqualTo(position);

        control(concert, "resume");
        await().atMost(Duration.ofSeconds(10)).until(() -> stillWaiting(last).getLong("position") < position);
        // known again once two rounds since the resume have been seen
        await().atMost(Duration.ofSeconds(10)).until(() -> stillWaiting(last).getBoolean("waitTimeKnown"));

        control(concert, "queue-everyone");
        long atStop = sql.queryLong("SELECT count(*) FROM queue_token WHERE concert_id = ? AND status <> 'STANDBY'", concert);
        Thread.sleep(SIX_TICKS);
        // the stop took the room's lock: no round in flight could admit after it answered
        assertThat(sql.queryLong("SELECT count(*) FROM queue_token WHERE concert_id = ? AND status <> 'STANDBY'", concert)).isEqualTo(atStop);
        assertThat(stillWaiting(last).getString("admission")).isEqualTo("STOPPED");
    }
}
