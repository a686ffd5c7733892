package io.concertticket.queue.application;

import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.queue.ConcurrentHttp;
import io.concertticket.queue.ConcurrentHttp.Result;
import io.concertticket.testing.HopTokens;
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
 * Estimates against the real waits, with admission running on its own (5 every 250 ms) on real PostgreSQL:
 * the wait a waiting user is told comes true within 20 %, a paused line says its wait is unknown, and
 * queue-everyone stops admission at once.
 */
@QuarkusTest
@TestProfile(FastAdmissionProfile.class)
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "queue"))
class HonestEstimateTest {

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

    private Instant activatedAt(String token) {
        Object at = sql.value("SELECT activated_at FROM queue_token WHERE id = ?", UUID.fromString(token));
        return at == null ? null : ((Timestamp) at).toInstant();
    }

    private static String operator() {
        return HopTokens.forAccount("op-" + UUID.randomUUID()).roles("operator").audience(AUDIENCE).sign();
    }

    @Test
    void withASteadyRateTheEstimateForPlaceNIsWithinTwentyPercentOfTheRealWait() throws Exception {
        long concert = freshConcertId();
        List<String> line = crowd(concert, 700);
        // admission has been seen moving steadily for longer than the estimate window since everyone joined
        long joined = sql.queryLong("SELECT count(*) FROM queue_token WHERE concert_id = ? AND status <> 'STANDBY'", concert);
        await().atMost(Duration.ofSeconds(30)).until(() -> sql.queryLong(
                "SELECT count(*) FROM queue_token WHERE concert_id = ? AND status <> 'STANDBY'", concert) >= joined + 120);

        record Told(String token, long position, long estimate, long pollAfter, Instant at) {
        }
        List<Told> told = new ArrayList<>();
        for (int seq : new int[]{350, 500, 650}) {
            String token = line.get(seq - 1);
            Instant at = Instant.now();
            JsonPath p = look(token);
            assertThat(p.getString("status")).isEqualTo("WAITING");
            assertThat(p.getBoolean("waitTimeKnown")).isTrue();
            assertThat(p.getString("admission")).isEqualTo("RUNNING");
            assertThat(p.getLong("ahead")).isEqualTo(p.getLong("position") - 1);
            told.add(new Told(token, p.getLong("position"), p.getLong("estimatedWaitSeconds"), p.getLong("pollAfterSeconds"), at));
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> activatedAt(told.get(told.size() - 1).token()) != null);
        for (Told t : told) {
            double real = Duration.between(t.at(), activatedAt(t.token())).toMillis() / 1000.0;
            // a figure for the notes, not an assertion
            System.out.printf("place %d: told %d s, admitted after %.2f s (poll after %d s)%n", t.position(), t.estimate(), real, t.pollAfter());
            assertThat((double) t.estimate()).as("estimate for place %d, real wait %.2f s", t.position(), real)
                    .isBetween(real * 0.8, real * 1.2);
        }
        // further back, a longer wait and sparser polling
        assertThat(told.get(2).pollAfter()).isGreaterThan(told.get(0).pollAfter());
    }

    @Test
    void aPausedLineSaysItsWaitIsUnknownAndQueueEveryoneStopsAdmissionAtOnce() throws Exception {
        long concert = freshConcertId();
        List<String> line = crowd(concert, 400);
        String last = line.get(399);
        await().atMost(Duration.ofSeconds(30)).until(() -> look(last).getBoolean("waitTimeKnown"));

        given().auth().oauth2(operator()).when().post("/api/v1/admin/sales/" + concert + "/pause").then().statusCode(200);
        long admitted = sql.queryLong("SELECT count(*) FROM queue_token WHERE concert_id = ? AND status <> 'STANDBY'", concert);
        await().atMost(Duration.ofSeconds(5)).until(() -> "PAUSED".equals(look(last).getString("admission")));
        JsonPath paused = look(last);
        assertThat(paused.getBoolean("waitTimeKnown")).isFalse();
        assertThat(paused.getString("estimatedWaitSeconds")).isNull();
        long position = paused.getLong("position");
        Thread.sleep(1500); // six ticks
        assertThat(sql.queryLong("SELECT count(*) FROM queue_token WHERE concert_id = ? AND status <> 'STANDBY'", concert)).isEqualTo(admitted);
        assertThat(look(last).getLong("position")).isEqualTo(position);

        given().auth().oauth2(operator()).when().post("/api/v1/admin/sales/" + concert + "/resume").then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> look(last).getLong("position") < position);
        // known again once two rounds since the resume have been seen
        await().atMost(Duration.ofSeconds(10)).until(() -> look(last).getBoolean("waitTimeKnown"));

        given().auth().oauth2(operator()).when().post("/api/v1/admin/sales/" + concert + "/queue-everyone").then().statusCode(200);
        long atStop = sql.queryLong("SELECT count(*) FROM queue_token WHERE concert_id = ? AND status <> 'STANDBY'", concert);
        Thread.sleep(1500);
        // the stop took the room's lock: no round in flight could admit after it answered
        assertThat(sql.queryLong("SELECT count(*) FROM queue_token WHERE concert_id = ? AND status <> 'STANDBY'", concert)).isEqualTo(atStop);
        assertThat(look(last).getString("admission")).isEqualTo("STOPPED");
    }
}
