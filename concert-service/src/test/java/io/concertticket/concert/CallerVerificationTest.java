package io.concertticket.concert;

import io.concertticket.concert.support.ConcertApi;
import io.concertticket.concert.support.ConcertApi.Fixture;
import io.concertticket.concert.support.ConcertApi.Reply;
import io.concertticket.concert.support.Db;
import io.concertticket.concert.support.Tokens;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.testing.HopTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;

/**
 * concert-service acts only for the account of a hop token it verified itself (docs/identity.md): these
 * are the attacks that worked while identity came from headers, each refused with nothing changed.
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "concert"))
class CallerVerificationTest {

    @Inject
    Db db;

    @Test
    void identityHeadersAloneAreIgnoredAndHoldNothing() {
        Fixture f = ConcertApi.openSchedule(2, 1_000);
        String victim = ConcertApi.newUser();
        long victimsReservation = ConcertApi.hold(Tokens.admitted(victim, f.concertId()), f.scheduleId(), 2)
                .body().path("reservationId").asLong();

        Reply hold = withGatewayHeaders(HttpRequest.newBuilder(ConcertApi.uri("/api/v1/reservations"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"scheduleId\":" + f.scheduleId() + ",\"seatNumber\":1}")), victim, f);
        assertThat(hold.status()).isEqualTo(401);
        assertThat(hold.type()).endsWith("/unauthenticated");
        for (String path : List.of("/api/v1/reservations", "/api/v1/reservations/" + victimsReservation,
                "/api/v1/schedules/" + f.scheduleId() + "/seats", "/api/v1/concerts/" + f.concertId() + "/schedules")) {
            Reply read = withGatewayHeaders(HttpRequest.newBuilder(ConcertApi.uri(path)).GET(), victim, f);
            assertThat(read.status()).as(path).isEqualTo(401);
            assertThat(read.type()).as(path).endsWith("/unauthenticated");
        }
        assertThat(db.queryString("SELECT status FROM seat WHERE schedule_id = ? AND seat_number = 1", f.scheduleId())).isEqualTo("AVAILABLE");
        assertThat(db.queryLong("SELECT count(*) FROM reservation WHERE user_id = ?", victim)).isEqualTo(1);

        // beside a valid hop token, the headers change nothing either: the token's account holds
        String attacker = ConcertApi.newUser();
        Reply asAttacker = ConcertApi.send(HttpRequest.newBuilder(ConcertApi.uri("/api/v1/reservations"))
                .header("Content-Type", "application/json").header("X-User-Id", victim)
                .POST(HttpRequest.BodyPublishers.ofString("{\"scheduleId\":" + f.scheduleId() + ",\"seatNumber\":1}")),
                Tokens.admitted(attacker, f.concertId()));
        assertThat(asAttacker.status()).isEqualTo(201);
        assertThat(db.queryString("SELECT user_id FROM reservation WHERE id = ?", asAttacker.body().path("reservationId").asLong()))
                .isEqualTo(attacker);
        assertThat(db.queryLong("SELECT count(*) FROM reservation WHERE user_id = ?", victim)).isEqualTo(1);
    }

    @Test
    void protectedRoutesWithoutAHopTokenAnswer401AndThePublicOnesStayOpen() {
        Fixture f = ConcertApi.openSchedule(1, 1_000);

        Reply hold = ConcertApi.hold(null, f.scheduleId(), 1);
        assertThat(hold.status()).isEqualTo(401);
        assertThat(hold.type()).endsWith("/unauthenticated");
        // checked before the body is read: a malformed body is still 401
        Reply malformed = ConcertApi.send(HttpRequest.newBuilder(ConcertApi.uri("/api/v1/reservations"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"scheduleId\":")), null);
        assertThat(malformed.status()).isEqualTo(401);
        assertThat(ConcertApi.get("/api/v1/reservations", null).status()).isEqualTo(401);
        assertThat(ConcertApi.get("/api/v1/reservations/1", null).status()).isEqualTo(401);
        assertThat(ConcertApi.get("/api/v1/schedules/" + f.scheduleId() + "/seats", null).status()).isEqualTo(401);
        assertThat(ConcertApi.get("/api/v1/concerts/" + f.concertId() + "/schedules", null).status()).isEqualTo(401);
        assertThat(db.queryLong("SELECT count(*) FROM seat WHERE schedule_id = ? AND status = 'AVAILABLE'", f.scheduleId())).isEqualTo(1);

        assertThat(ConcertApi.get("/api/v1/concerts", null).status()).isEqualTo(200);
        assertThat(ConcertApi.get("/q/health/ready", null).status()).isEqualTo(200);
    }

    @Test
    void forgedExpiredMisaddressedAndForeignHopTokensAreRefused() {
        Fixture f = ConcertApi.openSchedule(1, 1_000);
        String user = ConcertApi.newUser();
        long id = ConcertApi.hold(Tokens.admitted(user, f.concertId()), f.scheduleId(), 1).body().path("reservationId").asLong();
        Fixture target = ConcertApi.openSchedule(1, 1_000);
        UUID admission = UUID.randomUUID();

        Map<String, String> refused = Map.of(
                "signed with another key", HopTokens.forAccount(user).admittedTo(target.concertId(), admission)
                        .audience(Tokens.AUDIENCE).signedWith(attackersKey()).sign(),
                "expired", HopTokens.forAccount(user).admittedTo(target.concertId(), admission)
                        .audience(Tokens.AUDIENCE).lifetimeSeconds(-300).sign(),
                "for payment-service", HopTokens.forAccount(user).admittedTo(target.concertId(), admission)
                        .audience("payment-service").sign(),
                "without audience", HopTokens.forAccount(user).admittedTo(target.concertId(), admission).sign(),
                "from another issuer", HopTokens.forAccount(user).admittedTo(target.concertId(), admission)
                        .audience(Tokens.AUDIENCE).issuer("concert-queue").sign(),
                "unsigned (alg none)", unsigned(user, target.concertId()),
                "not a JWT", "not-a-token");

        refused.forEach((what, token) -> {
            Reply hold = ConcertApi.hold(token, target.scheduleId(), 1);
            assertThat(hold.status()).as(what).isEqualTo(401);
            assertThat(hold.type()).as(what).endsWith("/unauthenticated");
            assertThat(ConcertApi.get("/api/v1/reservations/" + id, token).status()).as(what).isEqualTo(401);
            assertThat(ConcertApi.get("/api/v1/schedules/" + target.scheduleId() + "/seats", token).status()).as(what).isEqualTo(401);
        });
        assertThat(db.queryString("SELECT status FROM seat WHERE schedule_id = ?", target.scheduleId())).isEqualTo("AVAILABLE");
        assertThat(db.queryLong("SELECT count(*) FROM reservation WHERE user_id = ?", user)).isEqualTo(1);
    }

    @Test
    void anAdmissionForOneConcertReachesNoSaleRouteOfAnother() {
        Fixture admittedTo = ConcertApi.openSchedule(2, 1_000);
        Fixture other = ConcertApi.openSchedule(2, 1_000);
        String user = ConcertApi.newUser();
        String buyer = Tokens.admitted(user, admittedTo.concertId());

        Reply hold = ConcertApi.hold(buyer, other.scheduleId(), 1);
        assertThat(hold.status()).isEqualTo(403);
        assertThat(hold.type()).endsWith("/admission-for-other-concert");
        assertThat(hold.body().path("admittedConcertId").asLong()).isEqualTo(admittedTo.concertId());
        assertThat(hold.body().path("concertId").asLong()).isEqualTo(other.concertId());
        Reply seats = ConcertApi.get("/api/v1/schedules/" + other.scheduleId() + "/seats", buyer);
        assertThat(seats.status()).isEqualTo(403);
        assertThat(seats.type()).endsWith("/admission-for-other-concert");
        Reply schedules = ConcertApi.get("/api/v1/concerts/" + other.concertId() + "/schedules", buyer);
        assertThat(schedules.status()).isEqualTo(403);
        assertThat(schedules.type()).endsWith("/admission-for-other-concert");

        assertThat(db.queryLong("SELECT count(*) FROM seat WHERE schedule_id = ? AND status = 'AVAILABLE'", other.scheduleId())).isEqualTo(2);
        assertThat(db.queryLong("SELECT count(*) FROM reservation WHERE user_id = ?", user)).isZero();
        // the same admission works in its own concert
        assertThat(ConcertApi.hold(buyer, admittedTo.scheduleId(), 1).status()).isEqualTo(201);
    }

    @Test
    void aSignedInAccountWithoutAdmissionIsRefusedOnSaleRoutes() {
        Fixture f = ConcertApi.openSchedule(1, 1_000);
        String user = ConcertApi.newUser();
        String signedIn = Tokens.signedIn(user);

        Reply hold = ConcertApi.hold(signedIn, f.scheduleId(), 1);
        assertThat(hold.status()).isEqualTo(403);
        assertThat(hold.type()).endsWith("/admission-required");
        assertThat(ConcertApi.get("/api/v1/schedules/" + f.scheduleId() + "/seats", signedIn).type()).endsWith("/admission-required");
        assertThat(ConcertApi.get("/api/v1/concerts/" + f.concertId() + "/schedules", signedIn).type()).endsWith("/admission-required");
        assertThat(db.queryString("SELECT status FROM seat WHERE schedule_id = ?", f.scheduleId())).isEqualTo("AVAILABLE");
        assertThat(db.queryLong("SELECT count(*) FROM reservation WHERE user_id = ?", user)).isZero();
    }

    @Test
    void anAccountReadsOnlyItsOwnReservations() {
        Fixture f = ConcertApi.openSchedule(2, 1_000);
        String alice = ConcertApi.newUser();
        String bob = ConcertApi.newUser();
        long alices = ConcertApi.hold(Tokens.admitted(alice, f.concertId()), f.scheduleId(), 1).body().path("reservationId").asLong();
        long bobs = ConcertApi.hold(Tokens.admitted(bob, f.concertId()), f.scheduleId(), 2).body().path("reservationId").asLong();

        // not even with an admission to the very concert of the reservation
        for (String bobsToken : List.of(Tokens.signedIn(bob), Tokens.admitted(bob, f.concertId()))) {
            Reply other = ConcertApi.get("/api/v1/reservations/" + alices, bobsToken);
            assertThat(other.status()).isEqualTo(404);
            assertThat(other.type()).endsWith("/not-found");
            assertThat(other.body().toString()).doesNotContain(alice);
        }
        assertThat(ConcertApi.get("/api/v1/reservations/999999999", Tokens.signedIn(bob)).status()).isEqualTo(404);

        Reply bobsList = ConcertApi.get("/api/v1/reservations", Tokens.signedIn(bob));
        assertThat(bobsList.body().path("items")).extracting(i -> i.path("reservationId").asLong()).containsExactly(bobs);
        assertThat(bobsList.body().path("totalItems").asLong()).isEqualTo(1);
        Reply alicesList = ConcertApi.get("/api/v1/reservations", Tokens.signedIn(alice));
        assertThat(alicesList.body().path("items")).extracting(i -> i.path("reservationId").asLong()).containsExactly(alices);
    }

    @Test
    void theOperatorApiRefusesAnonymousCallersAndBuyersAndServesOperators() {
        Fixture f = ConcertApi.openSchedule(1, 1_000);
        String title = "Operator test " + UUID.randomUUID();
        String body = "{\"title\":\"" + title + "\",\"venue\":\"Hall\"}";

        given().contentType("application/json").body(body).post(ConcertApi.ADMIN + "/concerts")
                .then().statusCode(401).body("type", endsWith("/unauthenticated"));
        given().get(ConcertApi.ADMIN + "/schedules/" + f.scheduleId()).then().statusCode(401);
        for (String buyer : List.of(Tokens.admitted(ConcertApi.newUser(), f.concertId()), Tokens.signedIn(ConcertApi.newUser()))) {
            given().auth().oauth2(buyer).contentType("application/json").body(body).post(ConcertApi.ADMIN + "/concerts")
                    .then().statusCode(403).body("type", endsWith("/forbidden"));
            given().auth().oauth2(buyer).contentType("application/json").body("{\"seatCount\":5,\"price\":1}")
                    .post(ConcertApi.ADMIN + "/schedules/" + f.scheduleId() + "/seats").then().statusCode(403);
            given().auth().oauth2(buyer).get(ConcertApi.ADMIN + "/schedules/" + f.scheduleId()).then().statusCode(403);
        }
        String forgedOperator = HopTokens.forAccount("mallory").roles("operator").audience(Tokens.AUDIENCE)
                .signedWith(attackersKey()).sign();
        given().auth().oauth2(forgedOperator).contentType("application/json").body(body)
                .post(ConcertApi.ADMIN + "/concerts").then().statusCode(401);
        // the operator API has moved: the old path serves nothing, whoever asks
        ConcertApi.asOperator().body(body).post("/admin/concerts").then().statusCode(404);
        assertThat(db.queryLong("SELECT count(*) FROM concert WHERE title = ?", title)).isZero();

        ConcertApi.asOperator().body(body).post(ConcertApi.ADMIN + "/concerts").then().statusCode(201);
        assertThat(db.queryLong("SELECT count(*) FROM concert WHERE title = ?", title)).isEqualTo(1);
        assertThat(ConcertApi.scheduleOverview(f.scheduleId()).path("maxSeatCount").asInt()).isEqualTo(1);
    }

    private static Reply withGatewayHeaders(HttpRequest.Builder request, String user, Fixture f) {
        return ConcertApi.send(request.header("X-User-Id", user).header("X-Concert-Id", Long.toString(f.concertId()))
                .header("X-Token-Id", UUID.randomUUID().toString()), null);
    }

    private static PrivateKey attackersKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair().getPrivate();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token with the right claims and no signature at all ({@code "alg":"none"}). */
    private static String unsigned(String user, long concertId) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        long now = System.currentTimeMillis() / 1000;
        String header = "{\"alg\":\"none\",\"typ\":\"JWT\"}";
        String claims = "{\"iss\":\"concert-gateway\",\"aud\":\"concert-service\",\"sub\":\"" + user + "\",\"iat\":" + now
                + ",\"exp\":" + (now + 60) + ",\"groups\":[\"operator\"],\"concert_id\":" + concertId
                + ",\"admission_id\":\"" + UUID.randomUUID() + "\"}";
        return b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".";
    }
}
