package io.concertticket.concert;

import io.concertticket.concert.application.ExpireHolds;
import io.concertticket.concert.support.ConcertApi;
import io.concertticket.concert.support.Tokens;
import io.concertticket.concert.support.ConcertApi.Fixture;
import io.concertticket.concert.support.ConcertApi.Reply;
import io.concertticket.concert.support.Db;
import io.concertticket.concert.support.Kafka;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "concert"))
class HoldExpiryTest {

    static final String TOPIC = "concert.reservation-events";

    @Inject
    DataSource dataSource;
    @Inject
    ExpireHolds expireHolds;
    Db db;

    @BeforeEach
    void setUp() {
        db = new Db(dataSource);
    }

    @Test
    void anExpiredHoldIsCancelledItsSeatFreedAndReservationExpiredPublished() {
        Fixture f = ConcertApi.openSchedule(3, 45_000);
        String user = ConcertApi.newUser();
        Reply hold = ConcertApi.hold(Tokens.admitted(user, f.concertId()), f.scheduleId(), 2);
        long id = hold.body().path("reservationId").asLong();

        db.expireNow(id);

        // the scheduled sweeper (every second) does it, no test hook involved
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(ConcertApi.get("/api/v1/reservations/" + id, Tokens.signedIn(user)).body().path("status").asText())
                        .isEqualTo("CANCELED"));
        assertThat(db.string("SELECT status FROM seat WHERE schedule_id = ? AND seat_number = 2", f.scheduleId())).isEqualTo("AVAILABLE");
        assertThat(db.string("SELECT coalesce(user_id, 'none') FROM seat WHERE schedule_id = ? AND seat_number = 2", f.scheduleId())).isEqualTo("none");
        assertThat(ConcertApi.get("/api/v1/reservations/" + id, Tokens.signedIn(user)).body().path("canceledAt").isTextual()).isTrue();

        // someone else can take it now
        assertThat(ConcertApi.hold(Tokens.admitted(ConcertApi.newUser(), f.concertId()), f.scheduleId(), 2).status()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Kafka.Event> events = Kafka.readAll(TOPIC, e -> String.valueOf(id).equals(e.key()));
            assertThat(events).extracting(Kafka.Event::type).containsExactly("SeatHeld", "ReservationExpired");
            Kafka.Event held = events.get(0);
            assertThat(held.headers()).containsEntry("content-type", "application/cloudevents+json");
            assertThat(held.envelope().path("specversion").asText()).isEqualTo("1.0");
            assertThat(held.envelope().path("source").asText()).isEqualTo("/concert-service");
            assertThat(held.envelope().path("subject").asText()).isEqualTo("reservation/" + id);
            assertThat(held.envelope().path("dataversion").asInt()).isEqualTo(1);
            assertThat(held.data().path("reservationId").asLong()).isEqualTo(id);
            assertThat(held.data().path("userId").asText()).isEqualTo(user);
            assertThat(held.data().path("concertId").asLong()).isEqualTo(f.concertId());
            assertThat(held.data().path("scheduleId").asLong()).isEqualTo(f.scheduleId());
            assertThat(held.data().path("seatNumber").asInt()).isEqualTo(2);
            assertThat(held.data().path("seatId").isNumber()).isTrue();
            assertThat(held.data().path("price").asLong()).isEqualTo(45_000);
            assertThat(held.data().path("heldAt").isTextual()).isTrue();
            assertThat(held.data().path("expiresAt").asText()).isEqualTo(hold.body().path("expiresAt").asText());
            Kafka.Event expired = events.get(1);
            assertThat(expired.data().path("reservationId").asLong()).isEqualTo(id);
            assertThat(expired.data().path("userId").asText()).isEqualTo(user);
            assertThat(expired.data().path("seatId").asLong()).isEqualTo(held.data().path("seatId").asLong());
            assertThat(expired.data().path("seatNumber").asInt()).isEqualTo(2);
            assertThat(expired.data().path("expiredAt").isTextual()).isTrue();
        });
    }

    @Test
    void aHoldBeforeItsDeadlineIsLeftAlone() {
        Fixture f = ConcertApi.openSchedule(1, 1_000);
        String user = ConcertApi.newUser();
        long id = ConcertApi.hold(Tokens.admitted(user, f.concertId()), f.scheduleId(), 1).body().path("reservationId").asLong();

        while (expireHolds.expireDueBatch(500) == 500) {
            // drain whatever else is due in the shared database
        }

        assertThat(db.string("SELECT status FROM reservation WHERE id = ?", id)).isEqualTo("BOOKED");
        assertThat(db.string("SELECT status FROM seat WHERE schedule_id = ?", f.scheduleId())).isEqualTo("HELD");
    }

    @Test
    void sweepersOnSeveralReplicasExpireEachHoldExactlyOnce() throws Exception {
        Fixture f = ConcertApi.openSchedule(120, 1_000);
        List<String> buyers = buyers(120, f.concertId());
        List<Reply> holds = ConcertApi.race(120, 60, i -> ConcertApi.hold(buyers.get(i), f.scheduleId(), i + 1));
        assertThat(holds).extracting(Reply::status).containsOnly(201);
        Set<String> ids = holds.stream().map(r -> r.body().path("reservationId").asText()).collect(Collectors.toSet());
        db.update("UPDATE seat SET hold_expires_at = now() - interval '1 second' WHERE schedule_id = ?", f.scheduleId());
        db.update("UPDATE reservation SET expires_at = now() - interval '1 second' WHERE schedule_id = ?", f.scheduleId());

        // eight "replicas" sweeping in small batches at once, besides the scheduled sweeper
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> sweeps = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                sweeps.add(pool.submit(() -> {
                    go.await();
                    int total = 0;
                    int n;
                    while ((n = expireHolds.expireDueBatch(7)) > 0) {
                        total += n;
                    }
                    return total;
                }));
            }
            go.countDown();
            for (Future<Integer> s : sweeps) {
                s.get();
            }
        } finally {
            pool.shutdownNow();
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(db.count("SELECT count(*) FROM reservation WHERE schedule_id = ? AND status = 'BOOKED'", f.scheduleId())).isZero());
        assertThat(db.count("SELECT count(*) FROM reservation WHERE schedule_id = ? AND status = 'CANCELED'", f.scheduleId())).isEqualTo(120);
        assertThat(db.count("SELECT count(*) FROM seat WHERE schedule_id = ? AND status = 'AVAILABLE'", f.scheduleId())).isEqualTo(120);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(db.count("SELECT count(*) FROM outbox_event WHERE message_key = ANY(CAST(? AS text[]))",
                        "{" + String.join(",", ids) + "}")).isZero());
        Map<String, Long> expiredPerReservation = Kafka.readAll(TOPIC, e -> ids.contains(e.key()) && e.type().equals("ReservationExpired"))
                .stream().collect(Collectors.groupingBy(Kafka.Event::key, Collectors.counting()));
        assertThat(expiredPerReservation).hasSize(120);
        assertThat(expiredPerReservation.values()).containsOnly(1L);
    }

    private static List<String> buyers(int n, long concertId) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> Tokens.admitted(ConcertApi.newUser(), concertId)).toList();
    }

}
