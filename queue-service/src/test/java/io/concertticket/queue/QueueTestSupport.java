package io.concertticket.queue;

import io.concertticket.queue.application.AdmitNextBatch;
import io.concertticket.queue.application.AdmitNextBatch.Admission;
import io.concertticket.queue.domain.TokenSnapshot;
import io.concertticket.testing.HopTokens;
import io.concertticket.testing.Sql;
import io.quarkus.arc.Arc;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;

/** Shared helpers: tests share one database, so each works in concerts (rooms) of its own. */
public final class QueueTestSupport {

    public static final String AUDIENCE = "queue-service";

    private QueueTestSupport() {
    }

    /** A concert id no other test uses, whose sale is announced and open (opened a minute ago, no pre-queue). */
    public static long freshConcertId() {
        long concertId = madeUpConcertId();
        Arc.container().instance(Sql.class).get().update("INSERT INTO sale (concert_id, title, opens_at, pre_queue_enabled, "
                + "pre_queue_lead_seconds, revision, opened_at) VALUES (?, 'test sale', now() - interval '1 minute', false, 0, 1, now())", concertId);
        return concertId;
    }

    /** A concert id no other test uses and nobody announced a sale for. */
    public static long madeUpConcertId() {
        return ThreadLocalRandom.current().nextLong(1_000_000, Long.MAX_VALUE / 2);
    }

    /** A hop token for {@code account}, as the gateway signs it for queue-service. */
    public static String hopToken(String account) {
        return HopTokens.forAccount(account).audience(AUDIENCE).sign();
    }

    /** Joins {@code concertId}'s waiting room as {@code account} (no userId in the body: the caller is the user). */
    public static ValidatableResponse register(long concertId, String account) {
        return given().auth().oauth2(hopToken(account)).contentType(ContentType.JSON).body(Map.of("concertId", concertId))
                .when().post("/api/v1/queue/tokens").then();
    }

    /** Polls {@code token} as {@code account}. */
    public static ValidatableResponse poll(String token, String account) {
        return given().auth().oauth2(hopToken(account)).when().get("/api/v1/queue/tokens/" + token).then();
    }

    /** The account of the {@code i}-th member of {@link #line}. */
    public static String fan(long concertId, int i) {
        return "fan-" + concertId + "-" + i;
    }

    /** {@code n} accounts ({@link #fan}) join {@code concertId}'s room one after the other; their tokens in arrival order. */
    public static List<String> line(long concertId, int n) {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tokens.add(register(concertId, fan(concertId, i)).statusCode(201).extract().path("token"));
        }
        return tokens;
    }

    /**
     * {@code replicas} threads, released together as that many replicas' admission loops would be, try to admit
     * {@code concertId}'s round {@code round}; what each of them admitted.
     */
    public static List<Admission> raceForRound(AdmitNextBatch admission, long concertId, long round, int replicas) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        try {
            CountDownLatch gate = new CountDownLatch(1);
            List<Future<Admission>> runs = new ArrayList<>();
            for (int r = 0; r < replicas; r++) {
                runs.add(pool.submit(() -> {
                    gate.await();
                    return admission.admit(concertId, round);
                }));
            }
            gate.countDown();
            List<Admission> outcomes = new ArrayList<>();
            for (Future<Admission> f : runs) {
                outcomes.add(f.get());
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The arrival numbers all of {@code outcomes} admitted, in order. */
    public static List<Long> admittedSeqs(List<Admission> outcomes) {
        return outcomes.stream().flatMap(o -> o.activated().stream()).map(TokenSnapshot::seq).sorted().toList();
    }
}
