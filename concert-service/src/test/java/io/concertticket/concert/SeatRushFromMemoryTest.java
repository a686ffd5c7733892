package io.concertticket.concert;

import io.concertticket.concert.support.ConcertApi;
import io.concertticket.concert.support.ConcertApi.Fixture;
import io.concertticket.concert.support.ConcertApi.Reply;
import io.concertticket.concert.support.Db;
import io.concertticket.concert.support.Tokens;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The rush from memory, against the real database: losers of a seat already taken are refused without a
 * transaction, listings follow the database within the seat board's bound (250 ms plus one read; the waits
 * below allow more because the machine running the tests is shared), and the database alone decides winners.
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "concert"))
class SeatRushFromMemoryTest {

    /** The seat board's bound is 250 ms plus one read; a loaded shared machine gets more, never a stale answer for ever. */
    private static final Duration BOUND = Duration.ofSeconds(3);
    @Inject
    Db db;

    @Test
    void threeHundredHoldsOnFiveSeatsHaveOneWinnerEachAndLaterLosersNeverReachTheDatabase() throws Exception {
        Fixture f = ConcertApi.openSchedule(5, 20_000);
        List<String> rush = buyers(300, f.concertId());

        List<Reply> replies = ConcertApi.race(300, 150, i -> ConcertApi.hold(rush.get(i), f.scheduleId(), i % 5 + 1));

        Map<Integer, Long> byStatus = replies.stream().collect(Collectors.groupingBy(Reply::status, Collectors.counting()));
        assertThat(byStatus).containsOnly(Map.entry(201, 5L), Map.entry(409, 295L));
        assertThat(replies).filteredOn(r -> r.status() == 409).allSatisfy(r -> assertThat(r.type()).endsWith("/seat-taken"));
        assertThat(replies).filteredOn(r -> r.status() == 201).extracting(r -> r.body().path("seatNumber").asInt())
                .containsExactlyInAnyOrder(1, 2, 3, 4, 5);
        assertThat(db.queryLong("SELECT count(*) FROM reservation WHERE schedule_id = ?", f.scheduleId())).isEqualTo(5);
        assertThat(db.queryLong("SELECT count(DISTINCT seat_id) FROM reservation WHERE schedule_id = ? AND status = 'BOOKED'",
                f.scheduleId())).isEqualTo(5);

        // the seats are known taken now: 200 more holds are all refused from memory, none opens a transaction
        List<String> late = buyers(200, f.concertId());
        double refusedBefore = refusedFromMemory();
        List<Reply> lateReplies = ConcertApi.race(200, 100, i -> ConcertApi.hold(late.get(i), f.scheduleId(), i % 5 + 1));

        assertThat(lateReplies).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.type()).endsWith("/seat-taken");
        });
        assertThat(refusedFromMemory() - refusedBefore).isEqualTo(200.0);
        assertThat(db.queryLong("SELECT count(*) FROM reservation WHERE schedule_id = ?", f.scheduleId())).isEqualTo(5);
        assertThat(db.queryLong("SELECT count(*) FROM seat WHERE schedule_id = ? AND status = 'HELD'", f.scheduleId())).isEqualTo(5);
    }

    @Test
    void aListingShowsOwnHoldsAtOnceAndAnotherReplicasHoldsWithinTheBound() {
        Fixture f = ConcertApi.openSchedule(4, 10_000);
        String buyer = Tokens.admitted(ConcertApi.newUser(), f.concertId());
        assertThat(availableSeats(buyer, f.scheduleId())).containsExactly(1, 2, 3, 4);

        assertThat(ConcertApi.hold(buyer, f.scheduleId(), 1).status()).isEqualTo(201);
        // this replica's own hold: the very next listing shows it
        assertThat(availableSeats(buyer, f.scheduleId())).containsExactly(2, 3, 4);

        // another replica holds seat 2: only the database knows; the listing follows within the bound
        db.update("UPDATE seat SET status = 'HELD', user_id = 'other-replica', hold_expires_at = now() + interval '10 minutes' "
                + "WHERE schedule_id = ? AND seat_number = 2", f.scheduleId());
        await().atMost(BOUND).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(availableSeats(buyer, f.scheduleId())).containsExactly(3, 4));
        Reply other = ConcertApi.hold(Tokens.admitted(ConcertApi.newUser(), f.concertId()), f.scheduleId(), 2);
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.type()).endsWith("/seat-taken");
    }

    @Test
    void aSeatFreedInTheDatabaseIsOfferedAndHeldAgain() {
        Fixture f = ConcertApi.openSchedule(3, 10_000);
        String first = Tokens.admitted(ConcertApi.newUser(), f.concertId());
        Reply held = ConcertApi.hold(first, f.scheduleId(), 3);
        assertThat(held.status()).isEqualTo(201);
        String second = Tokens.admitted(ConcertApi.newUser(), f.concertId());
        assertThat(ConcertApi.hold(second, f.scheduleId(), 3).status()).isEqualTo(409);

        // freed behind the service's back (as expiry or another replica would): whoever frees it, the board follows
        long reservationId = held.body().path("reservationId").asLong();
        db.update("UPDATE reservation SET status = 'CANCELED', canceled_at = now() WHERE id = ?", reservationId);
        db.update("UPDATE seat SET status = 'AVAILABLE', user_id = NULL, hold_expires_at = NULL WHERE schedule_id = ? AND seat_number = 3",
                f.scheduleId());

        await().atMost(BOUND).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(availableSeats(second, f.scheduleId())).containsExactly(1, 2, 3));
        Reply again = ConcertApi.hold(second, f.scheduleId(), 3);
        assertThat(again.status()).isEqualTo(201);
        assertThat(db.queryString("SELECT status || ':' || user_id FROM seat WHERE schedule_id = ? AND seat_number = 3", f.scheduleId()))
                .isEqualTo("HELD:" + db.queryString("SELECT user_id FROM reservation WHERE id = ?", again.body().path("reservationId").asLong()));
    }

    private static List<Integer> availableSeats(String buyer, long scheduleId) {
        Reply listing = ConcertApi.get("/api/v1/schedules/" + scheduleId + "/seats", buyer);
        assertThat(listing.status()).isEqualTo(200);
        List<Integer> free = StreamSupport.stream(listing.body().path("seats").spliterator(), false)
                .filter(s -> s.path("available").asBoolean()).map(s -> s.path("seatNumber").asInt()).toList();
        assertThat(listing.body().path("availableSeatCount").asLong()).isEqualTo(free.size());
        return free;
    }

    /** concert-service's own count of holds refused by the seat board (Prometheus text). */
    private static double refusedFromMemory() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("concert_seat_board_refusals_total"))
                // the value is the second field: OpenMetrics may append an exemplar (trace id, value, time) after it
                .mapToDouble(l -> Double.parseDouble(l.split(" ")[1])).sum();
    }

    private static List<String> buyers(int n, long concertId) {
        return IntStream.range(0, n).mapToObj(i -> Tokens.admitted(ConcertApi.newUser(), concertId)).toList();
    }
}
