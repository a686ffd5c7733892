package io.concertticket.queue.application;

import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.queue.ConcurrentHttp;
import io.concertticket.queue.ConcurrentHttp.Result;
import io.concertticket.queue.domain.AdmissionState;
import io.concertticket.queue.domain.TokenStatus;
import io.concertticket.testing.HopTokens;
import io.concertticket.testing.LongScenario;
import io.concertticket.testing.Sql;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static io.concertticket.queue.QueueTestSupport.AUDIENCE;
import static io.concertticket.queue.QueueTestSupport.freshConcertId;
import static io.concertticket.queue.QueueTestSupport.hopToken;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A poll that says the line is paused shows the place the line froze at, never an older one: admission runs on
 * its own ({@link FastAdmissionProfile}), the read model refreshes on its own, the operator pauses right after
 * an admission round committed (before or after the next refresh), and the head of the line polls without a break.
 * (Once this replica's controls and its waiting lines were refreshed apart, a poll could say PAUSED with the
 * place from before the last round: the end-to-end operator scenario saw place 22 where the line had frozen
 * at 2.)
 *
 * <p>A long scenario (-Pfull, .ci/run): twelve pauses of a line admitting on its own clock, on an application of its
 * own profile; the quick build keeps SaleControlsTest's pause and resume, which freeze and keep the order of the
 * line.
 */
@QuarkusTest
@LongScenario
@TestProfile(FastAdmissionProfile.class)
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "queue"))
class PausedPlacesTest {

    private static final int PAUSES = 12;
    private static final int HEAD = 40;
    private static final int POLLERS = 4;
    private static final long POLL_FOR_MS = 400;

    @Inject
    PollQueueToken polls;
    @Inject
    Sql sql;
    @TestHTTPResource("/api/v1/queue/tokens")
    URI tokens;

    private final String operator = "op-" + UUID.randomUUID();

    private record Waiting(UUID token, String account, long place) {
    }

    private record Wrong(int pause, long frozenAt, TokenView told) {
    }

    @Test
    void everyPollThatSaysPausedShowsThePlaceTheLineFrozeAt() throws Exception {
        long concert = freshConcertId();
        int batch = ConfigProvider.getConfig().getValue("queue.admission.batch-size", Integer.class);
        act(concert, "pause");
        // each pause comes after two rounds (the resume's, at once, and the next one), and the head must still wait
        int crowd = (2 * PAUSES + 1) * batch + HEAD;
        for (Result joined : ConcurrentHttp.race(crowd, 50, i -> ConcurrentHttp.postJson(tokens, "{\"concertId\":" + concert + "}",
                hopToken("paused-" + concert + "-" + i)))) {
            assertThat(joined.status()).isEqualTo(201);
        }
        List<Wrong> wrong = new ArrayList<>();
        AtomicInteger pausedAnswers = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(POLLERS);
        try {
            for (int pause = 1; pause <= PAUSES; pause++) {
                long served = servedUpTo(concert);
                act(concert, "resume");
                // pause right after the round following the resume's: between its commit and the read model's refresh
                awaitRoundAfter(concert, awaitRoundAfter(concert, served));
                act(concert, "pause");
                // from the pause's answer on, the stored line does not move: its head, place by place
                List<Waiting> head = headOfLine(concert);
                ConcurrentLinkedQueue<Wrong> seen = new ConcurrentLinkedQueue<>();
                long until = System.nanoTime() + POLL_FOR_MS * 1_000_000;
                int round = pause;
                List<Future<?>> pollers = new ArrayList<>();
                for (int p = 0; p < POLLERS; p++) {
                    pollers.add(pool.submit(() -> {
                        while (System.nanoTime() < until) {
                            for (Waiting w : head) {
                                TokenView told = polls.poll(w.token(), w.account());
                                if (told.status() == TokenStatus.STANDBY && told.admission() == AdmissionState.PAUSED) {
                                    pausedAnswers.incrementAndGet();
                                    if (told.position() != w.place()) {
                                        seen.add(new Wrong(round, w.place(), told));
                                    }
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : pollers) {
                    f.get();
                }
                wrong.addAll(seen);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(pausedAnswers.get()).as("polls that said PAUSED").isGreaterThan(PAUSES * HEAD);
        assertThat(wrong).as("PAUSED answers with a place other than the frozen one (pauses: %s)",
                wrong.stream().map(Wrong::pause).distinct().toList()).isEmpty();
    }

    private void act(long concert, String action) {
        // signed per call: hop tokens live a minute, and the crowd joining takes a good part of it on a loaded machine
        given().auth().oauth2(HopTokens.forAccount(operator).roles("operator").audience(AUDIENCE).sign()).when().post("/api/v1/admin/sales/" + concert + "/" + action).then().statusCode(200);
    }

    private long servedUpTo(long concert) {
        return sql.queryLong("SELECT served_up_to FROM room_admission WHERE concert_id = ?", concert);
    }

    /** Waits for the next admission round to commit; the line's new served counter. */
    private long awaitRoundAfter(long concert, long served) {
        // looked at every 2 ms, so that the pause follows the round closely
        return await("a round after served-up-to " + served).atMost(Duration.ofSeconds(10))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
                .until(() -> servedUpTo(concert), now -> now != served);
    }

    /** The first {@link #HEAD} waiting tokens as stored, with their place (1 = next to be admitted). */
    private List<Waiting> headOfLine(long concert) {
        List<Waiting> head = new ArrayList<>();
        for (List<Object> row : sql.rows("SELECT id, user_id FROM queue_token WHERE concert_id = ? AND status = 'STANDBY' "
                + "ORDER BY seq LIMIT " + HEAD, concert)) {
            head.add(new Waiting((UUID) row.get(0), (String) row.get(1), head.size() + 1));
        }
        assertThat(head).as("still waiting after the pause").hasSize(HEAD);
        return head;
    }
}
