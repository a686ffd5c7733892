package io.concertticket.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.concertticket.checker.CheckReport;
import io.concertticket.e2e.harness.Api;
import io.concertticket.e2e.harness.Api.Reply;
import io.concertticket.e2e.harness.Crowd;
import io.concertticket.e2e.harness.EventLog;
import io.concertticket.e2e.harness.EventLog.Event;
import io.concertticket.e2e.harness.Operator;
import io.concertticket.e2e.harness.Operator.Sale;
import io.concertticket.e2e.harness.Platform;
import io.concertticket.e2e.harness.PlatformExtension;
import io.concertticket.e2e.harness.Shopper;
import io.concertticket.testing.HopTokens;
import io.concertticket.testing.KeycloakAccounts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The identity rules (invariant 5 of docs/architecture.md; docs/identity.md) attacked from the outside, through the
 * gateway against the real Keycloak, and around the gateway on the services' own ports. Each test is an
 * attack that succeeded before accounts existed (a user id in a body or a header was the user, an access
 * token was enough for anything): it must now be refused, and leave nothing changed.
 */
@ExtendWith(PlatformExtension.class)
@Order(2)
class IdentityIT {

    private static Platform platform;
    private static Api api;
    private static Operator operator;
    private static Sale concertA;
    private static Sale concertB;
    private static String run;

    @BeforeAll
    static void twoConcertsOnSale() throws Exception {
        platform = PlatformExtension.platform();
        platform.ensureHoldDuration(Platform.NORMAL_HOLD);
        api = platform.gatewayApi();
        operator = platform.operator();
        concertA = operator.openSale("Identity A", 20, 1_000);
        concertB = operator.openSale("Identity B", 20, 2_000);
        run = "ident-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Accounts {@code <run>-<what>-1..n}, signed in, shopping in concert A. */
    private static List<Shopper> accounts(String what, int n) {
        return platform.shoppers(api, run + "-" + what, n, concertA.concertId());
    }

    @Test
    @Order(1)
    void registeringWithTheVictimsUserIdInTheBodyIsRefused403AndYieldsNoneOfTheVictimsTokens() {
        List<Shopper> two = accounts("register", 2);
        Shopper victim = two.get(0);
        Shopper attacker = two.get(1);
        String victimAdmission = victim.join(Duration.ofMinutes(2));
        String victimToken = victim.queueToken();

        // once the victim is admitted, re-registering "as the victim" used to hand out the victim's token and access token
        List<Reply> attempts = Crowd.race(IntStream.range(0, 50).boxed().toList(), Duration.ofMinutes(2), i -> api.post(
                "/api/v1/queue/tokens", attacker.signedIn(), Map.of("concertId", concertA.concertId(), "userId", victim.userId)));
        for (Reply r : attempts) {
            assertThat(r.status()).as("%s", r).isEqualTo(403);
            assertThat(r.problem()).isEqualTo("not-your-account");
            assertThat(r.raw()).doesNotContain(victimToken).doesNotContain(victimAdmission);
            assertThat(r.text("accessToken")).isNull();
        }

        // nothing was created for anyone: the attacker's own first registration is a new place (201, not its
        // existing one), the victim still holds exactly its one place with the same admission
        assertThat(liveTokens(concertA.concertId(), attacker.userId)).isZero();
        assertThat(liveTokens(concertA.concertId(), victim.userId)).isEqualTo(1);
        Reply own = attacker.register();
        assertThat(own.status()).as("%s", own).isEqualTo(201);
        assertThat(own.text("token")).isNotEqualTo(victimToken);
        Reply victimPoll = victim.poll();
        assertThat(victimPoll.text("status")).isEqualTo("ACTIVE");
        assertThat(victimPoll.text("accessToken")).isEqualTo(victimAdmission);
        assertThat(KeycloakAccounts.claims(victimAdmission).path("sub").asText()).isEqualTo(victim.userId);
    }

    @Test
    @Order(2)
    void twoHundredConcurrentPollsOfTheVictimsQueueTokenByAnotherAccountAreAll404WithoutAnAccessToken() {
        List<Shopper> two = accounts("poll", 2);
        Shopper victim = two.get(0);
        Shopper attacker = two.get(1);
        String victimAdmission = victim.join(Duration.ofMinutes(2));
        String victimToken = victim.queueToken();

        List<Reply> polls = Crowd.race(IntStream.range(0, 200).boxed().toList(), Duration.ofMinutes(2), i -> attacker.poll(victimToken));
        assertThat(polls).extracting(Reply::status).containsOnly(404);
        polls.forEach(p -> {
            assertThat(p.problem()).isEqualTo("queue-token-not-found");
            assertThat(p.raw()).doesNotContain(victimAdmission);
        });
        // and with no identity token at all: 401 from the gateway, before any service is asked
        Reply anonymous = api.get("/api/v1/queue/tokens/" + victimToken, Api.anonymous());
        assertThat(anonymous.status()).as("%s", anonymous).isEqualTo(401);
        assertThat(anonymous.text("credential")).isEqualTo("identity-token");
        assertThat(anonymous.raw()).doesNotContain(victimAdmission);

        // the owner still sees its place and admission
        Reply own = victim.poll();
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.text("status")).isEqualTo("ACTIVE");
        assertThat(own.text("accessToken")).isEqualTo(victimAdmission);
    }

    @Test
    @Order(3)
    void theVictimsAdmissionTokenIsRefusedWithAnotherAccountsIdentityTokenAndWithoutOne() {
        List<Shopper> two = accounts("stolen", 2);
        Shopper victim = two.get(0);
        Shopper attacker = two.get(1);
        String stolen = victim.join(Duration.ofMinutes(2));
        attacker.join(Duration.ofMinutes(2));
        victim.charge(5_000);
        attacker.charge(5_000);
        Reply victimHold = victim.hold(concertA.scheduleId(), 1);
        assertThat(victimHold.status()).as("%s", victimHold).isEqualTo(201);
        long victimReservation = victimHold.number("reservationId");
        Map<String, String> attackerWithStolen = Api.as(attacker.identityToken(), stolen);

        Reply seats = api.get("/api/v1/schedules/" + concertA.scheduleId() + "/seats", attackerWithStolen);
        assertThat(seats.status()).as("%s", seats).isEqualTo(403);
        assertThat(seats.problem()).isEqualTo("admission-for-other-account");

        // holds with the stolen admission, all at once on seats 2..20: every one refused the same way
        List<Reply> holds = Crowd.race(IntStream.rangeClosed(2, 20).boxed().toList(), Duration.ofMinutes(2), seat -> api.post(
                "/api/v1/reservations", attackerWithStolen, Map.of("scheduleId", concertA.scheduleId(), "seatNumber", seat)));
        holds.forEach(h -> {
            assertThat(h.status()).as("%s", h).isEqualTo(403);
            assertThat(h.problem()).isEqualTo("admission-for-other-account");
        });

        // paying the victim's reservation with the stolen admission, or with the attacker's own one
        Reply payStolen = api.post("/api/v1/payments", Api.headers(attackerWithStolen, Map.of("Idempotency-Key", "steal-" + run)),
                Map.of("reservationId", victimReservation));
        assertThat(payStolen.status()).as("%s", payStolen).isEqualTo(403);
        assertThat(payStolen.problem()).isEqualTo("admission-for-other-account");
        Reply payOwnAdmission = Shopper.retrying(Duration.ofMinutes(2), () -> attacker.pay(victimReservation));
        assertThat(payOwnAdmission.status()).as("someone else's reservation: %s", payOwnAdmission).isEqualTo(404);
        Reply peek = attacker.reservation(victimReservation);
        assertThat(peek.status()).as("%s", peek).isEqualTo(404);

        // the admission token alone (no identity token), and the admission token where the identity token goes
        Reply alone = api.get("/api/v1/schedules/" + concertA.scheduleId() + "/seats", Api.as(null, stolen));
        assertThat(alone.status()).as("%s", alone).isEqualTo(401);
        assertThat(alone.text("credential")).isEqualTo("identity-token");
        assertThat(alone.text("reason")).isEqualTo("missing-token");
        Reply asBearer = api.post("/api/v1/reservations", Api.as(stolen, null),
                Map.of("scheduleId", concertA.scheduleId(), "seatNumber", 2));
        assertThat(asBearer.status()).as("the admission token is not an identity token: %s", asBearer).isEqualTo(401);
        assertThat(asBearer.text("credential")).isEqualTo("identity-token");
        Reply asBearerPay = api.post("/api/v1/payments", Api.headers(Api.as(stolen, stolen), Map.of("Idempotency-Key", "bearer-" + run)),
                Map.of("reservationId", victimReservation));
        assertThat(asBearerPay.status()).as("%s", asBearerPay).isEqualTo(401);

        // nothing happened: only the victim's own hold exists on A, both wallets untouched, the reservation unpaid
        assertThat(reservationsOf(attacker.userId)).isZero();
        assertThat(heldSeats(concertA.scheduleId(), victim.userId)).containsExactly(1);
        assertThat(victim.balance().number("balance")).isEqualTo(5_000);
        assertThat(attacker.balance().number("balance")).isEqualTo(5_000);
        assertThat(victim.reservation(victimReservation).text("status")).isEqualTo("BOOKED");
        // and the victim's admission still works for the victim
        assertThat(victim.seats(concertA.scheduleId()).status()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void anAdmissionToConcertACannotListSeatsHoldOrPayInConcertBAndChargesNothing() {
        Shopper inA = accounts("cross", 1).get(0);
        Shopper inB = inA.forConcert(concertB.concertId());
        String admissionA = inA.join(Duration.ofMinutes(2));
        inB.join(Duration.ofMinutes(2));
        long charged = inA.charge(9_000);
        Reply holdB = inB.hold(concertB.scheduleId(), 1);
        assertThat(holdB.status()).as("%s", holdB).isEqualTo(201);
        long reservationB = holdB.number("reservationId");
        Map<String, String> withA = Api.as(inA.identityToken(), admissionA);

        Reply seatsB = api.get("/api/v1/schedules/" + concertB.scheduleId() + "/seats", withA);
        assertThat(seatsB.status()).as("%s", seatsB).isEqualTo(403);
        assertThat(seatsB.problem()).isEqualTo("admission-for-other-concert");
        Reply schedulesB = api.get("/api/v1/concerts/" + concertB.concertId() + "/schedules", withA);
        assertThat(schedulesB.status()).as("%s", schedulesB).isEqualTo(403);
        assertThat(schedulesB.problem()).isEqualTo("admission-for-other-concert");
        Reply holdWithA = api.post("/api/v1/reservations", withA, Map.of("scheduleId", concertB.scheduleId(), "seatNumber", 2));
        assertThat(holdWithA.status()).as("%s", holdWithA).isEqualTo(403);
        assertThat(holdWithA.problem()).isEqualTo("admission-for-other-concert");
        // the reservation is the account's own, only the admission is for the wrong concert (waiting out a late SeatHeld)
        Reply payWithA = Shopper.retrying(Duration.ofMinutes(2), () -> inA.payWith(admissionA, reservationB));
        assertThat(payWithA.status()).as("%s", payWithA).isEqualTo(403);
        assertThat(payWithA.problem()).isEqualTo("admission-for-other-concert");

        // nothing charged, nothing held but the one reservation, which is still unpaid
        Reply wallet = inA.balance();
        assertThat(wallet.number("balance")).isEqualTo(charged);
        assertThat(inA.history().body().path("entries")).extracting(e -> e.path("type").asText()).containsExactly("CHARGE");
        assertThat(heldSeats(concertB.scheduleId(), inA.userId)).containsExactly(1);
        assertThat(inA.reservation(reservationB).text("status")).isEqualTo("BOOKED");

        // with B's admission the same payment goes through: the refusal was about the admission, nothing else
        Reply payWithB = Shopper.retrying(Duration.ofMinutes(2), () -> inB.pay(reservationB));
        assertThat(payWithB.status()).as("%s", payWithB).isEqualTo(200);
        assertThat(payWithB.number("balance")).isEqualTo(charged - concertB.price(1));
    }

    @Test
    @Order(5)
    void afterPaymentTheBuyerSeesThePaidReservationAndTheWalletWithTheIdentityTokenAloneThoughTheAdmissionIsRevoked() {
        Shopper buyer = accounts("paid", 1).get(0);
        buyer.join(Duration.ofMinutes(2));
        buyer.charge(7_000);
        Reply hold = buyer.hold(concertA.scheduleId(), 5);
        assertThat(hold.status()).as("%s", hold).isEqualTo(201);
        long reservationId = hold.number("reservationId");
        Reply paid = Shopper.retrying(Duration.ofMinutes(2), () -> buyer.pay(reservationId));
        assertThat(paid.status()).as("%s", paid).isEqualTo(200);
        long price = concertA.price(5);

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Reply revoked = buyer.seats(concertA.scheduleId());
            assertThat(revoked.status()).as("the admission that paid: %s", revoked).isEqualTo(401);
            assertThat(revoked.text("reason")).isEqualTo("revoked-token");
            assertThat(buyer.reservation(reservationId).text("status")).isEqualTo("PAID");
        });

        Reply mine = buyer.myReservations();
        assertThat(mine.status()).as("%s", mine).isEqualTo(200);
        assertThat(mine.body().path("items")).hasSize(1);
        JsonNode item = mine.body().path("items").get(0);
        assertThat(item.path("reservationId").asLong()).isEqualTo(reservationId);
        assertThat(item.path("status").asText()).isEqualTo("PAID");
        assertThat(item.path("seatNumber").asInt()).isEqualTo(5);
        assertThat(item.path("price").asLong()).isEqualTo(price);

        Reply bySub = buyer.balance();
        assertThat(bySub.status()).as("%s", bySub).isEqualTo(200);
        assertThat(bySub.text("userId")).isEqualTo(buyer.userId);
        assertThat(bySub.number("balance")).isEqualTo(7_000 - price);
        Reply byMe = api.get("/api/v1/users/me/points", buyer.signedIn());
        assertThat(byMe.status()).as("%s", byMe).isEqualTo(200);
        assertThat(byMe.text("userId")).isEqualTo(buyer.userId);
        assertThat(byMe.number("balance")).isEqualTo(7_000 - price);
        Reply history = buyer.history();
        assertThat(history.body().path("entries")).extracting(e -> e.path("type").asText() + " " + e.path("amount").asLong())
                .containsExactly("USE " + price, "CHARGE 7000");
    }

    @Test
    @Order(6)
    void paymentCompletedExpiresExactlyTheAdmissionThatPaidAndANewerAdmissionOfTheSameAccountStaysUsable() {
        Shopper inA = accounts("exact", 1).get(0);
        Shopper inB = inA.forConcert(concertB.concertId());
        inA.join(Duration.ofMinutes(2));
        inB.join(Duration.ofMinutes(2)); // the newer admission
        assertThat(Instant.parse(inB.poll().text("expiresAt"))).isAfterOrEqualTo(Instant.parse(inA.poll().text("expiresAt")));
        inA.charge(8_000);
        Reply hold = inA.hold(concertA.scheduleId(), 6);
        assertThat(hold.status()).as("%s", hold).isEqualTo(201);
        Reply paid = Shopper.retrying(Duration.ofMinutes(2), () -> inA.pay(hold.number("reservationId")));
        assertThat(paid.status()).as("%s", paid).isEqualTo(200);

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Reply pollA = inA.poll();
            assertThat(pollA.text("status")).isEqualTo("EXPIRED");
            assertThat(pollA.text("reason")).isEqualTo("PAYMENT_COMPLETED");
            assertThat(inA.seats(concertA.scheduleId()).text("reason")).isEqualTo("revoked-token");
        });
        // the admission to B is still ACTIVE and still buys
        Reply pollB = inB.poll();
        assertThat(pollB.text("status")).as("%s", pollB).isEqualTo("ACTIVE");
        assertThat(pollB.text("accessToken")).isEqualTo(inB.accessToken());
        assertThat(inB.seats(concertB.scheduleId()).status()).isEqualTo(200);
        Reply holdB = inB.hold(concertB.scheduleId(), 6);
        assertThat(holdB.status()).as("the newer admission after the payment with the older one: %s", holdB).isEqualTo(201);

        // on the topics: PaymentCompleted names A's admission, and the only TokenExpired of the account is A's
        List<Event> events = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(
                () -> EventLog.readAll(platform.bootstrapServers(), List.of(EventLog.TOKEN_EVENTS, EventLog.PAYMENT_EVENTS)),
                e -> !EventLog.ofType(e, "TokenExpired", ev -> inA.userId.equals(ev.textField("userId"))).isEmpty());
        Event payment = EventLog.ofType(events, "PaymentCompleted", e -> e.longField("reservationId") == hold.number("reservationId"))
                .get(0);
        assertThat(payment.textField("admissionTokenId")).isEqualTo(inA.queueToken());
        assertThat(EventLog.ofType(events, "TokenExpired", e -> inA.userId.equals(e.textField("userId"))))
                .extracting(e -> e.textField("tokenId")).containsOnly(inA.queueToken());
    }

    @Test
    @Order(7)
    void theOperatorApiRefusesAnonymousCallers401AndBuyers403AndServesTheOperator() throws Exception {
        Shopper buyer = accounts("notop", 1).get(0);
        String buyerAdmission = buyer.join(Duration.ofMinutes(2));
        String title = "Not by a buyer " + run;
        Map<String, String> body = Map.of("title", title, "venue", "Nowhere");

        Reply anonymous = api.post("/api/v1/admin/concerts", Api.anonymous(), body);
        assertThat(anonymous.status()).as("%s", anonymous).isEqualTo(401);
        assertThat(anonymous.text("credential")).isEqualTo("identity-token");
        Reply asBuyer = api.post("/api/v1/admin/concerts", buyer.signedIn(), body);
        assertThat(asBuyer.status()).as("%s", asBuyer).isEqualTo(403);
        assertThat(asBuyer.problem()).isEqualTo("operator-role-required");
        Reply asAdmittedBuyer = api.post("/api/v1/admin/concerts", Api.as(buyer.identityToken(), buyerAdmission), body);
        assertThat(asAdmittedBuyer.status()).as("%s", asAdmittedBuyer).isEqualTo(403);
        Reply overviewAnonymous = api.get("/api/v1/admin/schedules/" + concertA.scheduleId(), Api.anonymous());
        assertThat(overviewAnonymous.status()).isEqualTo(401);
        Reply overviewBuyer = api.get("/api/v1/admin/schedules/" + concertA.scheduleId(), buyer.signedIn());
        assertThat(overviewBuyer.status()).isEqualTo(403);
        assertThat(overviewBuyer.raw()).doesNotContain("seatsByStatus");
        // the services' own /admin is no route of the gateway at all
        Reply oldPath = api.post("/admin/concerts", Api.as(operator.identityToken(), null), body);
        assertThat(oldPath.status()).as("%s", oldPath).isEqualTo(404);
        assertThat(countConcerts(title)).isZero();

        Reply created = api.post("/api/v1/admin/concerts", Api.as(operator.identityToken(), null), body);
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(created.text("title")).isEqualTo(title);
        assertThat(countConcerts(title)).isEqualTo(1);
        Reply overview = operator.schedule(concertA.scheduleId());
        assertThat(overview.status()).as("%s", overview).isEqualTo(200);
        assertThat(overview.number("scheduleId")).isEqualTo(concertA.scheduleId());
        assertThat(overview.body().path("seatsByStatus").isObject()).isTrue();
    }

    @Test
    @Order(8)
    void aForgedIdentityTokenWithTheSameClaimsAndAnExpiredOrWrongAudienceOneAreRefused401() throws Exception {
        Shopper buyer = accounts("forged", 1).get(0);
        buyer.charge(3_000);
        String genuine = buyer.identityToken();
        KeyPair attackerKey = KeyPairGenerator.getInstance("RSA").generateKeyPair();

        // same header (kid of the realm's key), same claims, signed with the attacker's key; also one claiming the operator role
        String forged = resign(genuine, null, attackerKey);
        String forgedOperator = resign(genuine, "\"roles\":[\"operator\",\"buyer\"]", attackerKey);
        String unsigned = unsigned(genuine);
        for (String token : List.of(forged, forgedOperator)) {
            Reply wallet = api.get("/api/v1/users/me/points", Api.as(token, null));
            assertThat(wallet.status()).as("%s", wallet).isEqualTo(401);
            assertThat(wallet.text("credential")).isEqualTo("identity-token");
            assertThat(wallet.text("reason")).isEqualTo("bad-signature");
            assertThat(wallet.raw()).doesNotContain("balance");
        }
        Reply forgedAdmin = api.post("/api/v1/admin/concerts", Api.as(forgedOperator, null), Map.of("title", "Forged " + run, "venue", "X"));
        assertThat(forgedAdmin.status()).as("%s", forgedAdmin).isEqualTo(401);
        assertThat(countConcerts("Forged " + run)).isZero();
        Reply none = api.get("/api/v1/users/me/points", Api.as(unsigned, null));
        assertThat(none.status()).as("alg none: %s", none).isEqualTo(401);
        // fifty at once, to registration: all refused, no place in line for the account
        List<Reply> flood = Crowd.race(IntStream.range(0, 50).boxed().toList(), Duration.ofMinutes(2),
                i -> api.post("/api/v1/queue/tokens", Api.as(forged, null), Map.of("concertId", concertA.concertId())));
        assertThat(flood).extracting(Reply::status).containsOnly(401);
        assertThat(liveTokens(concertA.concertId(), buyer.userId)).isZero();

        // signed by the realm, but for another audience (a client without the concert-api audience)
        KeycloakAccounts clients = new KeycloakAccounts(platform.issuer());
        clients.createPasswordClient("e2e-other-audience", false, 0);
        String otherAudience = clients.signIn("e2e-other-audience", buyer.name, buyer.name).accessToken();
        assertThat(KeycloakAccounts.claims(otherAudience).path("sub").asText()).isEqualTo(buyer.userId);
        Reply wrongAudience = api.get("/api/v1/users/me/points", Api.as(otherAudience, null));
        assertThat(wrongAudience.status()).as("%s", wrongAudience).isEqualTo(401);
        assertThat(wrongAudience.text("reason")).isEqualTo("wrong-audience");

        // signed by the realm for this API, accepted while valid, refused once expired (also when the gateway had cached it)
        clients.createPasswordClient("e2e-short-lived", true, 10);
        String shortLived = clients.signIn("e2e-short-lived", buyer.name, buyer.name).accessToken();
        Instant exp = Instant.ofEpochSecond(KeycloakAccounts.claims(shortLived).path("exp").asLong());
        Reply whileValid = api.get("/api/v1/users/me/points", Api.as(shortLived, null));
        if (Instant.now().isBefore(exp)) {
            assertThat(whileValid.status()).as("%s", whileValid).isEqualTo(200);
            assertThat(whileValid.number("balance")).isEqualTo(3_000);
        }
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), exp).toMillis()) + 2_000);
        Reply expired = api.get("/api/v1/users/me/points", Api.as(shortLived, null));
        assertThat(expired.status()).as("%s", expired).isEqualTo(401);
        assertThat(expired.text("reason")).isEqualTo("expired-token");
        assertThat(expired.raw()).doesNotContain("balance");

        // the genuine token still works, and its wallet was not touched by any of it
        assertThat(buyer.balance().number("balance")).isEqualTo(3_000);
    }

    @Test
    @Order(9)
    void callingTheServicesDirectlyWithXUserIdAndNoHopTokenIs401AndChangesNothing() throws Exception {
        Sale direct = operator.openSale("Identity direct", 3, 3_000);
        List<Shopper> accounts = platform.shoppers(api, run + "-direct", 2, direct.concertId());
        Shopper victim = accounts.get(0);
        Shopper bystander = accounts.get(1);
        String victimAdmission = victim.join(Duration.ofMinutes(2));
        victim.charge(4_000);
        Reply ownHold = victim.hold(direct.scheduleId(), 1);
        assertThat(ownHold.status()).as("%s", ownHold).isEqualTo(201);
        long reservationId = ownHold.number("reservationId");
        String queueToken = victim.queueToken();
        UUID admissionId = UUID.fromString(queueToken);
        int historyBefore = victim.history().body().path("entries").size();

        Api queue = new Api(platform.serviceUrl(Platform.QUEUE));
        Api concert = new Api(platform.serviceUrl(Platform.CONCERT));
        Api payment = new Api(platform.serviceUrl(Platform.PAYMENT));
        Map<String, String> claimToBeVictim = Map.of("X-User-Id", victim.userId, "X-Concert-Id", String.valueOf(direct.concertId()),
                "X-Token-Id", queueToken, "X-User-Roles", "operator", "X-Roles", "operator");
        // what the attacker might also have: a hop token signed with a key this deployment does not trust (the
        // services' test key), the victim's identity token, the victim's admission token
        String untrustedHop = HopTokens.forAccount(victim.userId).roles("operator").admittedTo(direct.concertId(), admissionId)
                .audience("concert-service").sign();
        List<Map<String, String>> credentials = List.of(
                claimToBeVictim,
                Api.headers(claimToBeVictim, Map.of("Authorization", "Bearer " + untrustedHop)),
                Api.headers(claimToBeVictim, Api.as(victim.identityToken(), victimAdmission)),
                Api.headers(claimToBeVictim, Api.as(victimAdmission, victimAdmission)));

        for (Map<String, String> headers : credentials) {
            String what = headers.keySet().toString();
            List<Reply> answers = List.of(
                    queue.post("/api/v1/queue/tokens", headers, Map.of("concertId", concertA.concertId(), "userId", victim.userId)),
                    queue.get("/api/v1/queue/tokens/" + queueToken, headers),
                    concert.get("/api/v1/schedules/" + direct.scheduleId() + "/seats", headers),
                    concert.post("/api/v1/reservations", headers, Map.of("scheduleId", direct.scheduleId(), "seatNumber", 2)),
                    concert.get("/api/v1/reservations", headers),
                    concert.get("/api/v1/reservations/" + reservationId, headers),
                    concert.post("/api/v1/admin/concerts", headers, Map.of("title", "Direct " + run, "venue", "X")),
                    concert.get("/api/v1/admin/schedules/" + direct.scheduleId(), headers),
                    payment.get("/api/v1/users/" + victim.userId + "/points", headers),
                    payment.post("/api/v1/users/" + victim.userId + "/points/charge",
                            Api.headers(headers, Map.of("Idempotency-Key", UUID.randomUUID().toString())), Map.of("amount", 1_000)),
                    payment.post("/api/v1/payments", Api.headers(headers, Map.of("Idempotency-Key", UUID.randomUUID().toString())),
                            Map.of("reservationId", reservationId)));
            for (Reply r : answers) {
                assertThat(r.status()).as("%s: %s", what, r).isEqualTo(401);
                assertThat(r.raw()).as(what).doesNotContain(victimAdmission).doesNotContain("balance").doesNotContain("seatsByStatus");
            }
        }

        // nothing changed: no place for the victim in A, the seats as they were, no concert created, wallet and
        // history as they were, the reservation still unpaid
        assertThat(liveTokens(concertA.concertId(), victim.userId)).isZero();
        assertThat(operator.seatsIn(direct.scheduleId(), "HELD")).isEqualTo(1);
        assertThat(operator.seatsIn(direct.scheduleId(), "AVAILABLE")).isEqualTo(2);
        assertThat(countConcerts("Direct " + run)).isZero();
        assertThat(victim.balance().number("balance")).isEqualTo(4_000);
        assertThat(victim.history().body().path("entries").size()).isEqualTo(historyBefore);
        assertThat(victim.reservation(reservationId).text("status")).isEqualTo("BOOKED");
        assertThat(reservationsOf(victim.userId)).isEqualTo(1);
        // and through the gateway an X-User-Id means nothing either: "me" is the signed-in account
        Reply me = api.get("/api/v1/users/me/points", Api.headers(bystander.signedIn(), Map.of("X-User-Id", victim.userId)));
        assertThat(me.text("userId")).as("%s", me).isEqualTo(bystander.userId);
        assertThat(me.number("balance")).isZero();
    }

    @Test
    @Order(10)
    void theInvariantsHoldAfterTheAttacks() {
        CheckReport report = platform.checkInvariants("the identity attacks");
        assertThat(report.violated()).as(report.format()).isEmpty();
    }

    // ---- forging ------------------------------------------------------------------------------------

    /** The token's header and claims (optionally with one claim replaced), signed RS256 with another key. */
    private static String resign(String jwt, String replaceRoles, KeyPair key) throws Exception {
        String[] parts = jwt.split("\\.");
        String payload = parts[1];
        if (replaceRoles != null) {
            String claims = new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8);
            String changed = claims.replaceFirst("\"roles\":\\[[^]]*]", replaceRoles);
            assertThat(changed).isNotEqualTo(claims);
            payload = b64(changed);
        }
        String signingInput = parts[0] + "." + payload;
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key.getPrivate());
        rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
    }

    /** The same claims with {@code alg: none} and no signature. */
    private static String unsigned(String jwt) {
        return b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + jwt.split("\\.")[1] + ".";
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    // ---- verification only (read-only queries as the superuser) -----------------------------------------

    private static long liveTokens(long concertId, String userId) {
        return count("queue", "SELECT count(*) FROM queue_token WHERE concert_id = ? AND user_id = ? AND status IN ('STANDBY','ACTIVE')",
                concertId, userId);
    }

    private static long reservationsOf(String userId) {
        return count("concert", "SELECT count(*) FROM reservation WHERE user_id = ?", userId);
    }

    private static long countConcerts(String title) {
        return count("concert", "SELECT count(*) FROM concert WHERE title = ?", title);
    }

    /** Seat numbers of a schedule held (BOOKED reservation) by the account. */
    private static Set<Integer> heldSeats(long scheduleId, String userId) {
        return platform.database("concert").rows("SELECT s.seat_number FROM reservation r JOIN seat s ON s.id = r.seat_id "
                        + "WHERE s.schedule_id = ? AND r.user_id = ? AND r.status = 'BOOKED'", scheduleId, userId)
                .stream().map(row -> ((Number) row.get(0)).intValue()).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }

    private static long count(String db, String sql, Object... params) {
        return platform.database(db).queryLong(sql, params);
    }
}
