package io.concertticket.queue.application;

import com.fasterxml.jackson.databind.JsonNode;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.queue.ConcurrentHttp;
import io.concertticket.queue.ConcurrentHttp.Result;
import io.concertticket.queue.api.QueueSchedulers;
import io.concertticket.queue.infrastructure.QueueReadModel;
import io.concertticket.testing.Sql;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static io.concertticket.queue.KafkaTestSupport.parse;
import static io.concertticket.queue.QueueTestSupport.admittedSeqs;
import static io.concertticket.queue.QueueTestSupport.freshConcertId;
import static io.concertticket.queue.QueueTestSupport.hopToken;
import static io.concertticket.queue.QueueTestSupport.raceForRound;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "queue"))
class RegistrationAndAdmissionConcurrencyTest {

    @TestHTTPResource("/api/v1/queue/tokens")
    URI tokens;
    @Inject
    AdmitNextBatch admission;
    @Inject
    QueueSchedulers schedulers;
    @Inject
    QueueReadModel readModel;
    @Inject
    Sql sql;

    /** Request {@code i} comes from account {@code user.of(i)}, each with its own hop token. */
    private List<Result> registerConcurrently(long concertId, int count, IntToUser user) throws Exception {
        return ConcurrentHttp.race(count, 200, i -> ConcurrentHttp.postJson(tokens,
                "{\"concertId\":" + concertId + "}", hopToken(user.of(i))));
    }

    interface IntToUser {
        String of(int i);
    }

    private JsonNode poll(String token, String account) throws Exception {
        Result r = ConcurrentHttp.send(ConcurrentHttp.get(URI.create(tokens + "/" + token), hopToken(account)));
        assertThat(r.status()).isEqualTo(200);
        return parse(r.body());
    }

    @Test
    void aThousandConcurrentRegistrationsOfDistinctAccountsGetPositionsOneToAThousandAndAreAdmittedInThatOrderTwentyPerTick()
            throws Exception {
        long concert = freshConcertId();
        long started = System.nanoTime();
        List<Result> results = registerConcurrently(concert, 1000, i -> "fan-" + i);
        // a figure for the notes, not an assertion
        System.out.printf("1000 concurrent registrations for one room took %.2f s%n", (System.nanoTime() - started) / 1e9);

        assertThat(results).extracting(Result::status).containsOnly(201);
        Map<Long, String> tokenAtPosition = new HashMap<>();
        Map<String, String> accountOf = new HashMap<>();
        for (int i = 0; i < results.size(); i++) {
            JsonNode body = parse(results.get(i).body());
            assertThat(body.path("status").asText()).isEqualTo("WAITING");
            tokenAtPosition.put(body.path("position").asLong(), body.path("token").asText());
            accountOf.put(body.path("token").asText(), "fan-" + i);
        }
        // each place is stored for the account that registered it
        Map<String, String> stored = new HashMap<>();
        sql.rows("SELECT id, user_id FROM queue_token WHERE concert_id = ?", concert)
                .forEach(row -> stored.put(row.get(0).toString(), (String) row.get(1)));
        assertThat(stored).isEqualTo(accountOf);
        assertThat(tokenAtPosition.keySet()).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 1000).boxed().toList());
        assertThat(new HashSet<>(tokenAtPosition.values())).hasSize(1000);

        // admission follows arrival order exactly, one batch of 20 per tick
        for (int tick = 1; tick <= 50; tick++) {
            AdmitNextBatch.Admission a = admission.admit(concert, tick);
            assertThat(a.claimed()).isTrue();
            long first = (tick - 1) * 20L + 1;
            List<String> expected = LongStream.range(first, first + 20).mapToObj(tokenAtPosition::get).toList();
            assertThat(a.activated()).extracting(t -> t.id().toString()).containsExactlyElementsOf(expected);
            if (tick == 1) {
                readModel.refresh();
                String head = tokenAtPosition.get(1L);
                assertThat(poll(head, accountOf.get(head)).path("status").asText()).isEqualTo("ACTIVE");
                String twentieth = tokenAtPosition.get(20L);
                assertThat(poll(twentieth, accountOf.get(twentieth)).path("accessToken").asText()).isNotBlank();
                String twentyFirst = tokenAtPosition.get(21L);
                JsonNode next = poll(twentyFirst, accountOf.get(twentyFirst));
                assertThat(next.path("status").asText()).isEqualTo("WAITING");
                assertThat(next.path("position").asLong()).isEqualTo(1);
                String last = tokenAtPosition.get(1000L);
                assertThat(poll(last, accountOf.get(last)).path("position").asLong()).isEqualTo(980);
            }
            // the same tick again (a second replica, a timer firing twice) admits nobody
            assertThat(admission.admit(concert, tick).activated()).isEmpty();
        }
        assertThat(sql.queryLong("SELECT count(*) FROM queue_token WHERE concert_id = ? AND status = 'ACTIVE'", concert)).isEqualTo(1000);
        AdmitNextBatch.Admission afterEveryone = admission.admit(concert, 51);
        assertThat(afterEveryone.claimed()).isTrue();
        assertThat(afterEveryone.activated()).isEmpty();
    }

    @Test
    void simultaneousDoubleRegistrationsNeverTakeTwoPlacesOrLeaveHoles() throws Exception {
        long concert = freshConcertId();
        // 300 users, each registering twice at the same moment
        List<Result> results = registerConcurrently(concert, 600, i -> "twice-" + (i % 300));

        assertThat(results).extracting(Result::status).containsOnly(200, 201);
        assertThat(results.stream().filter(r -> r.status() == 201)).hasSize(300);
        Map<String, Set<String>> tokensOfUser = new HashMap<>();
        Map<String, Set<Long>> positionsOfUser = new HashMap<>();
        for (int i = 0; i < results.size(); i++) {
            JsonNode body = parse(results.get(i).body());
            String user = "twice-" + (i % 300);
            tokensOfUser.computeIfAbsent(user, u -> new HashSet<>()).add(body.path("token").asText());
            if (results.get(i).status() == 201) {
                positionsOfUser.computeIfAbsent(user, u -> new HashSet<>()).add(body.path("position").asLong());
            }
        }
        assertThat(tokensOfUser.values()).allSatisfy(t -> assertThat(t).hasSize(1));
        assertThat(positionsOfUser.values().stream().flatMap(Set::stream).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 300).boxed().toList());
        assertThat(sql.queryLong("SELECT count(*) FROM queue_token WHERE concert_id = ?", concert)).isEqualTo(300);
        // losers' transactions rolled back: the arrival numbers have no holes
        assertThat(sql.queryLong("SELECT last_seq FROM waiting_room WHERE concert_id = ?", concert)).isEqualTo(300);
        assertThat(sql.queryLong("SELECT max(seq) FROM queue_token WHERE concert_id = ?", concert)).isEqualTo(300);
    }

    /**
     * Registration and admission take different locks (a room's arrivals and its admission row), so rounds run while
     * registrations commit. A round that finds fewer waiting than its batch marks the line served up to the latest
     * arrival: that number must come from the same snapshot as the line, else an arrival committed in between
     * would count as served while it still waits (a wrong place, and a line that looks empty).
     */
    @Test
    void admissionRoundsRacingRegistrationsAdmitEveryoneOnceInArrivalOrderAndNeverCountAWaitingPlaceAsServed() throws Exception {
        long concert = freshConcertId();
        AtomicBoolean registering = new AtomicBoolean(true);
        ExecutorService admitter = Executors.newSingleThreadExecutor();
        try {
            Future<List<Long>> admitted = admitter.submit(() -> {
                List<Long> seqs = new ArrayList<>();
                long round = 0;
                boolean last = false;
                while (!last) {
                    last = !registering.get(); // one more round after the registrations ended
                    AdmitNextBatch.Admission a = admission.admit(concert, ++round);
                    a.activated().forEach(t -> seqs.add(t.seq()));
                    assertThat(sql.queryLong("SELECT count(*) FROM queue_token t JOIN room_admission a ON a.concert_id = t.concert_id "
                            + "WHERE t.concert_id = ? AND t.status = 'STANDBY' AND t.seq <= a.served_up_to", concert))
                            .as("waiting places counted as served after round %d", round).isZero();
                    if (a.activated().isEmpty() && !last) {
                        Thread.sleep(1);
                    }
                }
                return seqs;
            });
            List<Result> results = registerConcurrently(concert, 600, i -> "racer-" + i);
            registering.set(false);
            List<Long> seqs = admitted.get();
            while (seqs.size() < 600) { // the last round can find the batch full
                admission.admit(concert, 1_000_000 + seqs.size()).activated().forEach(t -> seqs.add(t.seq()));
            }

            assertThat(results).extracting(Result::status).containsOnly(201);
            assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, 600).boxed().toList());
            assertThat(sql.queryLong("SELECT last_seq FROM waiting_room WHERE concert_id = ?", concert)).isEqualTo(600);
            assertThat(sql.queryLong("SELECT served_up_to FROM room_admission WHERE concert_id = ?", concert)).isEqualTo(600);
            assertThat(sql.queryLong("SELECT count(*) FROM queue_token WHERE concert_id = ? AND status = 'ACTIVE'", concert)).isEqualTo(600);
        } finally {
            admitter.shutdownNow();
        }
    }

    @Test
    void replicasRacingForTheSameTickAdmitExactlyOneBatch() throws Exception {
        long concert = freshConcertId();
        registerConcurrently(concert, 100, i -> "race-" + i);

        for (long tick = 1; tick <= 4; tick++) {
            List<AdmitNextBatch.Admission> outcomes = raceForRound(admission, concert, tick, 8);
            assertThat(outcomes.stream().filter(AdmitNextBatch.Admission::claimed)).hasSize(1);
            assertThat(admittedSeqs(outcomes))
                    .containsExactlyElementsOf(LongStream.rangeClosed((tick - 1) * 20 + 1, tick * 20).boxed().toList());
            assertThat(sql.queryLong("SELECT count(*) FROM queue_token WHERE concert_id = ? AND status = 'ACTIVE'", concert))
                    .isEqualTo(tick * 20);
        }
    }

    @Test
    void theSchedulerAdmitsOneBatchPerRoomOnTheDatabaseClockTick() throws Exception {
        long concert = freshConcertId();
        registerConcurrently(concert, 30, i -> "sched-" + i);

        long before = admission.currentTick();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch gate = new CountDownLatch(1);
            List<Future<Integer>> rounds = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                rounds.add(pool.submit(() -> {
                    gate.await();
                    return schedulers.admitDueRooms();
                }));
            }
            gate.countDown();
            for (Future<Integer> f : rounds) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long after = admission.currentTick();
        long active = sql.queryLong("SELECT count(*) FROM queue_token WHERE concert_id = ? AND status = 'ACTIVE'", concert);
        if (before == after) {
            assertThat(active).isEqualTo(20);
        } else {
            // the rounds straddled a tick boundary: at most one batch per tick
            assertThat(active).isIn(20L, 30L);
        }
        assertThat(sql.queryLong("SELECT max(seq) FROM queue_token WHERE concert_id = ? AND status = 'ACTIVE'", concert)).isEqualTo(active);
    }
}
