package io.concertticket.concert;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Hundreds of real concurrent HTTP requests against the real database; exact outcomes asserted. */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "concert"))
class HoldSeatConcurrencyTest {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(HoldSeatConcurrencyTest.class);
    @Inject
    Db db;

    /** A figure for the notes, never an assertion: the machine running the tests is shared. */
    private static void report(String what, int requests, long startedNanos) {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        LOG.infof("benchmark: %s took %.2f s (%.0f requests/s)", what, seconds, requests / seconds);
    }

    @Test
    void exactlyOneOfAThousandConcurrentHoldsOnOneSeatWins() throws Exception {
        Fixture f = ConcertApi.openSchedule(10, 50_000);
        List<String> buyers = buyers(1000, f.concertId());

        long started = System.nanoTime();
        List<Reply> replies = ConcertApi.race(1000, 200, i -> ConcertApi.hold(buyers.get(i), f.scheduleId(), 7));
        report("1000 concurrent holds on one seat", 1000, started);

        Map<Integer, Long> byStatus = replies.stream().collect(Collectors.groupingBy(Reply::status, Collectors.counting()));
        assertThat(byStatus).containsOnly(Map.entry(201, 1L), Map.entry(409, 999L));
        assertThat(replies).filteredOn(r -> r.status() == 409)
                .allSatisfy(r -> {
                    assertThat(r.type()).endsWith("/seat-taken");
                    assertThat(r.body().path("seatNumber").asInt()).isEqualTo(7);
                });
        Reply winner = replies.stream().filter(r -> r.status() == 201).findFirst().orElseThrow();
        long reservationId = winner.body().path("reservationId").asLong();

        assertThat(db.queryLong("SELECT count(*) FROM reservation WHERE schedule_id = ?", f.scheduleId())).isEqualTo(1);
        assertThat(db.queryString("SELECT status || ':' || user_id FROM seat WHERE schedule_id = ? AND seat_number = 7", f.scheduleId()))
                .isEqualTo("HELD:" + db.queryString("SELECT user_id FROM reservation WHERE id = ?", reservationId));
        JsonNode overview = ConcertApi.scheduleOverview(f.scheduleId());
        assertThat(overview.path("remainingSeatCount").asLong()).isEqualTo(9);
        assertThat(overview.path("seatsByStatus").path("HELD").asLong()).isEqualTo(1);
    }

    @Test
    void twoHundredUsersOnTwoHundredDifferentSeatsAllSucceed() throws Exception {
        Fixture f = ConcertApi.openSchedule(250, 30_000);
        List<String> buyers = buyers(200, f.concertId());

        long started = System.nanoTime();
        List<Reply> replies = ConcertApi.race(200, 200, i -> ConcertApi.hold(buyers.get(i), f.scheduleId(), i + 1));
        report("200 concurrent holds on 200 seats", 200, started);

        assertThat(replies).extracting(Reply::status).containsOnly(201);
        assertThat(replies).extracting(r -> r.body().path("reservationId").asLong()).doesNotHaveDuplicates();
        assertThat(db.queryLong("SELECT count(*) FROM seat WHERE schedule_id = ? AND status = 'HELD'", f.scheduleId())).isEqualTo(200);
        assertThat(ConcertApi.scheduleOverview(f.scheduleId()).path("remainingSeatCount").asLong()).isEqualTo(50);
        Reply listing = ConcertApi.get("/api/v1/concerts/" + f.concertId() + "/schedules", Tokens.admitted(ConcertApi.newUser(), f.concertId()));
        assertThat(listing.body().path("schedules").get(0).path("remainingSeatCount").asLong()).isEqualTo(50);
    }

    @Test
    void oneUserFiringFiftyConcurrentHoldsGetsExactlyTheHoldLimit() throws Exception {
        Fixture f = ConcertApi.openSchedule(50, 10_000);
        String user = ConcertApi.newUser();
        String buyer = Tokens.admitted(user, f.concertId());

        List<Reply> replies = ConcertApi.race(50, 50, i -> ConcertApi.hold(buyer, f.scheduleId(), i + 1));

        Map<Integer, List<Reply>> byStatus = replies.stream().collect(Collectors.groupingBy(Reply::status));
        assertThat(byStatus.keySet()).containsOnly(201, 409);
        assertThat(byStatus.get(201)).hasSize(4);
        assertThat(byStatus.get(409)).hasSize(46).allSatisfy(r -> {
            assertThat(r.type()).endsWith("/hold-limit-reached");
            assertThat(r.body().path("limit").asInt()).isEqualTo(4);
        });
        assertThat(db.queryLong("SELECT count(*) FROM reservation WHERE user_id = ? AND status = 'BOOKED'", user)).isEqualTo(4);
        assertThat(ConcertApi.scheduleOverview(f.scheduleId()).path("remainingSeatCount").asLong()).isEqualTo(46);
    }

    @Test
    void holdsAndExpiriesRacingKeepTheRemainingCountExact() throws Exception {
        Fixture f = ConcertApi.openSchedule(100, 10_000);
        // 50 holds whose payment windows payment-service closes (PaymentWindowClosed) while 200 new holds race for all seats
        List<String> firstUsers = java.util.stream.IntStream.range(0, 50).mapToObj(i -> ConcertApi.newUser()).toList();
        List<String> firstBuyers = firstUsers.stream().map(u -> Tokens.admitted(u, f.concertId())).toList();
        List<String> secondBuyers = buyers(200, f.concertId());
        List<Reply> first = ConcertApi.race(50, 50, i -> ConcertApi.hold(firstBuyers.get(i), f.scheduleId(), i + 1));
        assertThat(first).extracting(Reply::status).containsOnly(201);
        try (var producer = Kafka.producer()) {
            for (int i = 0; i < first.size(); i++) {
                long id = first.get(i).body().path("reservationId").asLong();
                db.expireNow(id);
                producer.send("payment.payment-events", Long.toString(id),
                        HoldExpiryTest.windowClosed(UUID.randomUUID(), id, firstUsers.get(i)));
            }
        }

        List<Reply> second = ConcertApi.race(200, 200, i -> ConcertApi.hold(secondBuyers.get(i), f.scheduleId(), i % 100 + 1));
        assertThat(second).extracting(Reply::status).containsOnly(201, 409);

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(db.queryLong("SELECT count(*) FROM reservation WHERE schedule_id = ? AND status = 'BOOKED' AND expires_at < now()",
                        f.scheduleId())).isZero());
        long held = db.queryLong("SELECT count(*) FROM seat WHERE schedule_id = ? AND status = 'HELD'", f.scheduleId());
        long live = db.queryLong("SELECT count(*) FROM reservation WHERE schedule_id = ? AND status = 'BOOKED'", f.scheduleId());
        assertThat(held).isEqualTo(live);
        assertThat(ConcertApi.scheduleOverview(f.scheduleId()).path("remainingSeatCount").asLong()).isEqualTo(100 - held);
        // every seat held now is held by the user of its one live reservation
        assertThat(db.queryLong("SELECT count(*) FROM seat s JOIN reservation r ON r.seat_id = s.id AND r.status = 'BOOKED' "
                + "WHERE s.schedule_id = ? AND s.status = 'HELD' AND s.user_id = r.user_id", f.scheduleId())).isEqualTo(held);
    }

    /** Hop tokens of {@code n} distinct accounts admitted to the concert, minted before the race so signing is not timed. */
    private static List<String> buyers(int n, long concertId) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> Tokens.admitted(ConcertApi.newUser(), concertId)).toList();
    }

}
