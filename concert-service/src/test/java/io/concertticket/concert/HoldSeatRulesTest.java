package io.concertticket.concert;

import com.fasterxml.jackson.databind.JsonNode;
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

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The HTTP contract of holds and reads: the rules, and a problem body with the right status for every client mistake. */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "concert"))
class HoldSeatRulesTest {

    @Inject
    Db db;

    @Test
    void aHoldBooksTheSeatUntilTheDeadlineAndTheOwnerCanReadIt() {
        Fixture f = ConcertApi.openSchedule(5, 77_000);
        String user = ConcertApi.newUser();

        Reply hold = ConcertApi.hold(Tokens.admitted(user, f.concertId()), f.scheduleId(), 3);

        assertThat(hold.status()).isEqualTo(201);
        JsonNode body = hold.body();
        assertThat(body.path("status").asText()).isEqualTo("BOOKED");
        assertThat(body.path("concertId").asLong()).isEqualTo(f.concertId());
        assertThat(body.path("scheduleId").asLong()).isEqualTo(f.scheduleId());
        assertThat(body.path("seatNumber").asInt()).isEqualTo(3);
        assertThat(body.path("price").asLong()).isEqualTo(77_000);
        assertThat(Instant.parse(body.path("expiresAt").asText()))
                .isCloseTo(Instant.now().plus(Duration.ofMinutes(10)), within(1, ChronoUnit.MINUTES));
        long id = body.path("reservationId").asLong();

        // reading one's own reservations needs the account only, no admission
        Reply mine = ConcertApi.get("/api/v1/reservations/" + id, Tokens.signedIn(user));
        assertThat(mine.status()).isEqualTo(200);
        assertThat(mine.body().path("status").asText()).isEqualTo("BOOKED");
        assertThat(mine.body().path("expiresAt").asText()).isEqualTo(body.path("expiresAt").asText());
        Reply list = ConcertApi.get("/api/v1/reservations", Tokens.signedIn(user));
        assertThat(list.body().path("items")).hasSize(1);
        JsonNode item = list.body().path("items").get(0);
        assertThat(item.path("reservationId").asLong()).isEqualTo(id);
        assertThat(item.path("concertId").asLong()).isEqualTo(f.concertId());
        assertThat(item.path("seatNumber").asInt()).isEqualTo(3);
        assertThat(item.path("price").asLong()).isEqualTo(77_000);
        assertThat(item.path("expiresAt").asText()).isEqualTo(body.path("expiresAt").asText());

        Reply seats = ConcertApi.get("/api/v1/schedules/" + f.scheduleId() + "/seats", Tokens.admitted(ConcertApi.newUser(), f.concertId()));
        assertThat(seats.status()).isEqualTo(200);
        assertThat(seats.body().path("seats")).hasSize(5);
        seats.body().path("seats").forEach(s -> assertThat(s.path("available").asBoolean()).isEqualTo(s.path("seatNumber").asInt() != 3));
        assertThat(seats.body().path("availableSeatCount").asLong()).isEqualTo(4);
    }

    @Test
    void myReservationsSpanConcertsNewestFirstInBoundedPages() {
        Fixture first = ConcertApi.openSchedule(2, 1_000);
        Fixture second = ConcertApi.openSchedule(2, 2_000);
        String user = ConcertApi.newUser();
        long older = ConcertApi.hold(Tokens.admitted(user, first.concertId()), first.scheduleId(), 1).body().path("reservationId").asLong();
        long newer = ConcertApi.hold(Tokens.admitted(user, second.concertId()), second.scheduleId(), 2).body().path("reservationId").asLong();

        Reply all = ConcertApi.get("/api/v1/reservations", Tokens.signedIn(user));
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.body().path("items")).extracting(i -> i.path("reservationId").asLong()).containsExactly(newer, older);
        assertThat(all.body().path("items")).extracting(i -> i.path("concertId").asLong())
                .containsExactly(second.concertId(), first.concertId());
        assertThat(all.body().path("totalItems").asLong()).isEqualTo(2);

        Reply page = ConcertApi.get("/api/v1/reservations?page=1&size=1", Tokens.signedIn(user));
        assertThat(page.body().path("items")).extracting(i -> i.path("reservationId").asLong()).containsExactly(older);
        assertThat(page.body().path("totalPages").asLong()).isEqualTo(2);
        assertThat(ConcertApi.get("/api/v1/reservations?size=101", Tokens.signedIn(user)).status()).isEqualTo(400);
    }

    @Test
    void aScheduleNotYetReservableAnswers409SayingWhenItOpens() {
        long concertId = ConcertApi.createConcert();
        Instant opens = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        long scheduleId = ConcertApi.createSchedule(concertId, opens, opens.plus(Duration.ofDays(5)));
        ConcertApi.createSeats(scheduleId, 3, 1_000);
        String buyer = Tokens.admitted(ConcertApi.newUser(), concertId);

        Reply r = ConcertApi.hold(buyer, scheduleId, 1);

        assertThat(r.status()).isEqualTo(409);
        assertThat(r.type()).endsWith("/schedule-not-open");
        assertThat(Instant.parse(r.body().path("opensAt").asText())).isEqualTo(opens);
        assertThat(db.queryLong("SELECT count(*) FROM seat WHERE schedule_id = ? AND status = 'AVAILABLE'", scheduleId)).isEqualTo(3);
        // and the listing of reservable schedules does not offer it
        Reply listing = ConcertApi.get("/api/v1/concerts/" + concertId + "/schedules", buyer);
        assertThat(listing.status()).isEqualTo(200);
        assertThat(listing.body().path("schedules")).isEmpty();
    }

    @Test
    void aPastPerformanceAnswers409() {
        long concertId = ConcertApi.createConcert();
        Instant performed = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        long scheduleId = ConcertApi.createSchedule(concertId, performed.minus(Duration.ofDays(30)), performed);
        ConcertApi.createSeats(scheduleId, 3, 1_000);
        long open = ConcertApi.createSchedule(concertId, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(1)));
        ConcertApi.createSeats(open, 4, 2_000);
        String buyer = Tokens.admitted(ConcertApi.newUser(), concertId);

        Reply r = ConcertApi.hold(buyer, scheduleId, 1);

        assertThat(r.status()).isEqualTo(409);
        assertThat(r.type()).endsWith("/schedule-past");
        assertThat(r.body().path("performanceAt").asText()).isEqualTo(performed.toString());
        Reply listing = ConcertApi.get("/api/v1/concerts/" + concertId + "/schedules", buyer);
        assertThat(listing.body().path("schedules")).hasSize(1);
        assertThat(listing.body().path("schedules").get(0).path("scheduleId").asLong()).isEqualTo(open);
        assertThat(listing.body().path("schedules").get(0).path("remainingSeatCount").asLong()).isEqualTo(4);
    }

    @Test
    void unknownScheduleOrSeatAnswers404() {
        Fixture f = ConcertApi.openSchedule(3, 1_000);

        String buyer = Tokens.admitted(ConcertApi.newUser(), f.concertId());

        Reply schedule = ConcertApi.hold(buyer, 987_654_321L, 1);
        assertThat(schedule.status()).isEqualTo(404);
        assertThat(schedule.body().path("scheduleId").asLong()).isEqualTo(987_654_321L);
        Reply seat = ConcertApi.hold(buyer, f.scheduleId(), 4);
        assertThat(seat.status()).isEqualTo(404);
        assertThat(seat.body().path("seatNumber").asInt()).isEqualTo(4);
        assertThat(ConcertApi.get("/api/v1/schedules/987654321/seats", buyer).status()).isEqualTo(404);
        assertThat(ConcertApi.get("/api/v1/concerts/987654321/schedules", Tokens.admitted(ConcertApi.newUser(), 987654321L)).status())
                .isEqualTo(404);
    }

    @Test
    void malformedBodiesAnswer400NamingTheFieldAndChangeNothing() {
        Fixture f = ConcertApi.openSchedule(2, 1_000);
        String user = ConcertApi.newUser();

        Reply missing = post(user, f.concertId(), "{\"scheduleId\":" + f.scheduleId() + "}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body().path("violations").get(0).path("field").asText()).isEqualTo("seatNumber");

        Reply wrongType = post(user, f.concertId(), "{\"scheduleId\":" + f.scheduleId() + ",\"seatNumber\":\"front-row\"}");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.body().path("field").asText()).isEqualTo("seatNumber");

        Reply negative = post(user, f.concertId(), "{\"scheduleId\":-1,\"seatNumber\":1}");
        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.body().path("violations").get(0).path("field").asText()).isEqualTo("scheduleId");

        assertThat(post(user, f.concertId(), "{\"scheduleId\":").status()).isEqualTo(400);
        assertThat(post(user, f.concertId(), "").status()).isEqualTo(400);
        assertThat(post(user, f.concertId(), "[1,2]").status()).isEqualTo(400);
        assertThat(db.queryLong("SELECT count(*) FROM reservation WHERE user_id = ?", user)).isZero();

        Reply badPage = ConcertApi.get("/api/v1/concerts?size=1000", null);
        assertThat(badPage.status()).isEqualTo(400);
        assertThat(badPage.body().path("violations").get(0).path("field").asText()).isEqualTo("size");
    }

    @Test
    void theConcertListIsPagedWithPriceRangesAndDates() {
        long concertId = ConcertApi.createConcert();
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        long s1 = ConcertApi.createSchedule(concertId, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(3)));
        ConcertApi.asOperator()
                .body("{\"seats\":[{\"seatNumber\":1,\"price\":30000},{\"seatNumber\":2,\"price\":90000}]}")
                .post(ConcertApi.ADMIN + "/schedules/" + s1 + "/seats").then().statusCode(201);
        long s2 = ConcertApi.createSchedule(concertId, now.minus(Duration.ofDays(2)), now.plus(Duration.ofDays(4)));
        ConcertApi.createSeats(s2, 10, 120_000);

        Reply first = ConcertApi.get("/api/v1/concerts?page=0&size=1", null);
        assertThat(first.status()).isEqualTo(200);
        long total = first.body().path("totalItems").asLong();
        assertThat(first.body().path("items")).hasSize(1);
        assertThat(first.body().path("totalPages").asLong()).isEqualTo(total);
        // newest concert is on the last page of one-per-page
        Reply last = ConcertApi.get("/api/v1/concerts?page=" + (total - 1) + "&size=1", null);
        JsonNode concert = last.body().path("items").get(0);
        assertThat(concert.path("concertId").asLong()).isEqualTo(concertId);
        assertThat(concert.path("minPrice").asLong()).isEqualTo(30_000);
        assertThat(concert.path("maxPrice").asLong()).isEqualTo(120_000);
        // the schedules' span: what a client needs to show the dates and whether the sale is open
        assertThat(Instant.parse(concert.path("firstPerformanceAt").asText())).isEqualTo(now.plus(Duration.ofDays(3)));
        assertThat(Instant.parse(concert.path("lastPerformanceAt").asText())).isEqualTo(now.plus(Duration.ofDays(4)));
        assertThat(Instant.parse(concert.path("saleOpensAt").asText())).isEqualTo(now.minus(Duration.ofDays(2)));
    }

    @Test
    void theOperatorApiValidatesWhatItCreates() {
        long concertId = ConcertApi.createConcert();
        Instant now = Instant.now();

        ConcertApi.asOperator().body("{\"title\":\"\",\"venue\":\"Hall\"}")
                .post(ConcertApi.ADMIN + "/concerts").then().statusCode(400);
        ConcertApi.asOperator()
                .body("{\"reservableFrom\":\"" + now.plus(Duration.ofDays(2)) + "\",\"performanceAt\":\"" + now.plus(Duration.ofDays(1)) + "\"}")
                .post(ConcertApi.ADMIN + "/concerts/" + concertId + "/schedules").then().statusCode(400)
                .body("type", org.hamcrest.Matchers.endsWith("/invalid-schedule"));
        ConcertApi.asOperator()
                .body("{\"reservableFrom\":\"tomorrow\",\"performanceAt\":\"" + now + "\"}")
                .post(ConcertApi.ADMIN + "/concerts/" + concertId + "/schedules").then().statusCode(400)
                .body("field", org.hamcrest.Matchers.equalTo("reservableFrom"));
        ConcertApi.asOperator()
                .body("{\"reservableFrom\":\"" + now + "\",\"performanceAt\":\"" + now.plus(Duration.ofDays(1)) + "\"}")
                .post(ConcertApi.ADMIN + "/concerts/987654321/schedules").then().statusCode(404);

        long scheduleId = ConcertApi.createSchedule(concertId, now, now.plus(Duration.ofDays(1)));
        ConcertApi.asOperator()
                .body("{\"seats\":[{\"seatNumber\":1,\"price\":10},{\"seatNumber\":1,\"price\":20}]}")
                .post(ConcertApi.ADMIN + "/schedules/" + scheduleId + "/seats").then().statusCode(400)
                .body("type", org.hamcrest.Matchers.endsWith("/invalid-seat-map"));
        ConcertApi.asOperator().body("{\"seatCount\":5}")
                .post(ConcertApi.ADMIN + "/schedules/" + scheduleId + "/seats").then().statusCode(400);
        ConcertApi.asOperator().body("{\"seatCount\":5,\"price\":-1}")
                .post(ConcertApi.ADMIN + "/schedules/" + scheduleId + "/seats").then().statusCode(400)
                .body("violations[0].field", org.hamcrest.Matchers.equalTo("price"));
        ConcertApi.createSeats(scheduleId, 5, 100);
        ConcertApi.asOperator().body("{\"seatCount\":6,\"price\":100}")
                .post(ConcertApi.ADMIN + "/schedules/" + scheduleId + "/seats").then().statusCode(409)
                .body("type", org.hamcrest.Matchers.endsWith("/seat-map-exists"));
        assertThat(db.queryLong("SELECT count(*) FROM seat WHERE schedule_id = ?", scheduleId)).isEqualTo(5);
    }

    private static Reply post(String user, long concertId, String json) {
        return ConcertApi.send(HttpRequest.newBuilder(ConcertApi.uri("/api/v1/reservations"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), Tokens.admitted(user, concertId));
    }
}
