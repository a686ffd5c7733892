package io.concertticket.payment;

import com.fasterxml.jackson.databind.JsonNode;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.testing.HopTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * payment-service acts only for the account of a hop token it verified itself (docs/identity.md): attacks
 * that went through when a bare {@code X-User-Id} header was believed, and the admission rules of payments.
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "payment"))
class VerifiedCallerTest extends PaymentTestBase {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    // ------------------------------------------------------------------ no or bad hop token: 401

    @Test
    void aDirectCallWithOnlyAnXUserIdHeaderIs401AndChangesNoWallet() {
        String victim = TestSupport.newUserId();
        charge(victim, 1_000);
        long reservationId = heldReservation(victim, 400, Instant.now().plusSeconds(600));

        TestSupport.Reply charge = TestSupport.post(base(), "/api/v1/users/" + victim + "/points/charge", null, null,
                "{\"amount\": 500}", "X-User-Id", victim);
        TestSupport.Reply pay = TestSupport.post(base(), "/api/v1/payments", null, null,
                "{\"reservationId\": " + reservationId + "}", "X-User-Id", victim, "X-Concert-Id", "7",
                "X-Token-Id", UUID.randomUUID().toString());
        Reply read = get("/api/v1/users/" + victim + "/points", null, "X-User-Id", victim);

        for (int status : List.of(charge.status(), pay.status(), read.status())) {
            assertThat(status).isEqualTo(401);
        }
        assertThat(charge.headers().get("content-type")).contains("application/problem+json");
        assertThat(charge.json().get("type").asText()).endsWith("unauthenticated");
        assertThat(charge.headers().get("www-authenticate")).containsExactly("Bearer");
        assertThat(read.body()).doesNotContain("balance");
        assertThat(TestSupport.balance(ds, victim)).isEqualTo(1_000);
        assertThat(payableStatus(reservationId)).isEqualTo("BOOKED");
    }

    @ParameterizedTest
    @ValueSource(strings = {"forged", "expired", "audience-concert-service", "no-audience", "issuer-not-the-gateway",
            "unsigned", "garbage"})
    void aHopTokenTheGatewayDidNotIssueForPaymentServiceIs401AndChangesNothing(String attack) throws Exception {
        String victim = TestSupport.newUserId();
        charge(victim, 1_000);
        long reservationId = heldReservation(victim, 400, Instant.now().plusSeconds(600));
        UUID admission = UUID.randomUUID();
        HopTokens wallet = HopTokens.forAccount(victim).audience("payment-service");
        HopTokens admitted = HopTokens.forAccount(victim).admittedTo(TestSupport.CONCERT_ID, admission).audience("payment-service");
        String walletToken;
        String payToken;
        switch (attack) {
            case "forged" -> {
                PrivateKey attackers = attackersKey();
                walletToken = wallet.signedWith(attackers).sign();
                payToken = admitted.signedWith(attackers).sign();
            }
            case "expired" -> {
                walletToken = wallet.lifetimeSeconds(-30).sign();
                payToken = admitted.lifetimeSeconds(-30).sign();
            }
            case "audience-concert-service" -> {
                walletToken = wallet.audience("concert-service").sign();
                payToken = admitted.audience("concert-service").sign();
            }
            case "no-audience" -> {
                walletToken = wallet.audience(null).sign();
                payToken = admitted.audience(null).sign();
            }
            case "issuer-not-the-gateway" -> {
                walletToken = wallet.issuer("concert-queue").sign();
                payToken = admitted.issuer("concert-queue").sign();
            }
            case "unsigned" -> {
                walletToken = unsigned(wallet.sign());
                payToken = unsigned(admitted.sign());
            }
            default -> {
                walletToken = "not-a-jwt";
                payToken = "not.a.jwt";
            }
        }

        TestSupport.Reply charge = TestSupport.charge(base(), walletToken, victim, 500, null);
        TestSupport.Reply pay = TestSupport.payWith(base(), payToken, reservationId, null);
        Reply read = get("/api/v1/users/" + victim + "/points/history", walletToken);

        assertThat(List.of(charge.status(), pay.status(), read.status())).as(attack).containsOnly(401);
        assertThat(charge.headers().get("content-type")).contains("application/problem+json");
        assertThat(pay.json().get("type").asText()).endsWith("unauthenticated");
        assertThat(TestSupport.balance(ds, victim)).isEqualTo(1_000);
        assertThat(payableStatus(reservationId)).isEqualTo("BOOKED");
    }

    // ------------------------------------------------------------------ wallets: the caller's own only

    @Test
    void anotherAccountCannotChargeOrReadSomeonesWalletEvenNamingItInXUserId() {
        String alice = TestSupport.newUserId();
        String mallory = TestSupport.newUserId();
        charge(alice, 1_000);
        String mallorys = TestSupport.walletToken(mallory);

        TestSupport.Reply charge = TestSupport.post(base(), "/api/v1/users/" + alice + "/points/charge", mallorys, null,
                "{\"amount\": 500}", "X-User-Id", alice);
        Reply balance = get("/api/v1/users/" + alice + "/points", mallorys, "X-User-Id", alice);
        Reply history = get("/api/v1/users/" + alice + "/points/history", mallorys);

        assertThat(List.of(charge.status(), balance.status(), history.status())).containsOnly(403);
        assertThat(charge.json().get("type").asText()).endsWith("forbidden");
        assertThat(balance.body()).doesNotContain("1000");
        assertThat(history.body()).doesNotContain("CHARGE");
        assertThat(TestSupport.balance(ds, alice)).isEqualTo(1_000);
        assertThat(TestSupport.balance(ds, mallory)).isZero();
    }

    @Test
    void meNamesTheCallersOwnWalletAndNeedsNoAdmission() {
        String user = TestSupport.newUserId();
        String token = TestSupport.walletToken(user); // no admission: wallets are readable after the sale

        TestSupport.Reply charged = TestSupport.charge(base(), token, "me", 300, null);
        assertThat(charged.status()).isEqualTo(200);
        assertThat(charged.json().get("userId").asText()).isEqualTo(user);
        assertThat(charged.json().get("balance").asLong()).isEqualTo(300);

        Reply balance = get("/api/v1/users/me/points", token);
        assertThat(balance.status()).isEqualTo(200);
        assertThat(balance.json().get("userId").asText()).isEqualTo(user);
        assertThat(balance.json().get("balance").asLong()).isEqualTo(300);
        Reply history = get("/api/v1/users/me/points/history", token);
        assertThat(history.status()).isEqualTo(200);
        assertThat(history.json().get("userId").asText()).isEqualTo(user);
        assertThat(history.json().get("totalEntries").asLong()).isEqualTo(1);
        assertThat(TestSupport.balance(ds, user)).isEqualTo(300);
    }

    // ------------------------------------------------------------------ payments: admission of the reservation's concert

    @Test
    void anAdmissionForAnotherConcertCannotPayAndChargesNothing() {
        String user = TestSupport.newUserId();
        charge(user, 5_000);
        long concertB = 8;
        long reservationOfB = TestSupport.newReservationId();
        TestSupport.seatHeld(reservationOfB, user, concertB, 2_000, Instant.now().plusSeconds(600));
        awaitKnown(reservationOfB);
        String admittedToA = TestSupport.admittedToken(user, TestSupport.CONCERT_ID, UUID.randomUUID());

        TestSupport.Reply reply = TestSupport.payWith(base(), admittedToA, reservationOfB, "k-" + reservationOfB);

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.headers().get("content-type")).contains("application/problem+json");
        assertThat(reply.json().get("type").asText()).endsWith("admission-for-other-concert");
        assertThat(reply.json().get("admittedConcertId").asLong()).isEqualTo(TestSupport.CONCERT_ID);
        assertThat(reply.json().get("concertId").asLong()).isEqualTo(concertB);
        assertThat(TestSupport.balance(ds, user)).isEqualTo(5_000);
        assertThat(payableStatus(reservationOfB)).isEqualTo("BOOKED");
        assertThat(count("SELECT count(*) FROM payment WHERE reservation_id = ?", reservationOfB)).isZero();
        assertThat(publishedEvents("PaymentCompleted", reservationOfB)).isEmpty();

        // the refusal was not remembered under the key: with an admission to B, the same request pays
        String admittedToB = TestSupport.admittedToken(user, concertB, UUID.randomUUID());
        assertThat(TestSupport.payWith(base(), admittedToB, reservationOfB, "k-" + reservationOfB).status()).isEqualTo(200);
        assertThat(TestSupport.balance(ds, user)).isEqualTo(3_000);
    }

    @Test
    void payingWithoutAnAdmissionIsRefusedAtOnceWithoutWaitingForTheReservation() {
        String user = TestSupport.newUserId();
        charge(user, 5_000);
        long unknown = TestSupport.newReservationId(); // would make a payment wait seconds for its SeatHeld

        long started = System.nanoTime();
        TestSupport.Reply reply = TestSupport.payWith(base(), TestSupport.walletToken(user), unknown, null);
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.json().get("type").asText()).endsWith("admission-required");
        assertThat(millis).as("answered without the SeatHeld wait (8 s in tests)").isLessThan(5_000);
        assertThat(TestSupport.balance(ds, user)).isEqualTo(5_000);
    }

    @Test
    void anAdmissionOfTheRightConcertCannotPaySomeoneElsesReservation() {
        String owner = TestSupport.newUserId();
        String mallory = TestSupport.newUserId();
        charge(owner, 5_000);
        charge(mallory, 5_000);
        long reservationId = heldReservation(owner, 2_000, Instant.now().plusSeconds(600));

        TestSupport.Reply reply = TestSupport.payWith(base(), TestSupport.admittedToken(mallory), reservationId, null);

        assertThat(reply.status()).isEqualTo(404); // indistinguishable from unknown: reveals nothing about it
        assertThat(TestSupport.balance(ds, owner)).isEqualTo(5_000);
        assertThat(TestSupport.balance(ds, mallory)).isEqualTo(5_000);
        assertThat(payableStatus(reservationId)).isEqualTo("BOOKED");
    }

    @Test
    void paymentCompletedNamesTheAdmissionThatPaid() {
        String user = TestSupport.newUserId();
        charge(user, 5_000);
        long reservationId = heldReservation(user, 2_000, Instant.now().plusSeconds(600));
        UUID admission = UUID.randomUUID();

        TestSupport.Reply paid = TestSupport.payWith(base(),
                TestSupport.admittedToken(user, TestSupport.CONCERT_ID, admission), reservationId, null);
        assertThat(paid.status()).isEqualTo(200);
        // a retry with another admission of the same account and concert returns the same payment, unchanged
        TestSupport.Reply again = TestSupport.pay(base(), user, reservationId, null);
        assertThat(again.json().get("paymentId").asText()).isEqualTo(paid.json().get("paymentId").asText());

        List<JsonNode> completed = publishedEvents("PaymentCompleted", reservationId);
        assertThat(completed).hasSize(1);
        assertThat(completed.get(0).get("data").get("admissionTokenId").asText()).isEqualTo(admission.toString());
        assertThat(TestSupport.queryString(ds, "SELECT admission_token_id::text FROM payment WHERE reservation_id = ?",
                reservationId)).isEqualTo(admission.toString());
    }

    // ------------------------------------------------------------------ helpers

    private record Reply(int status, String body) {
        JsonNode json() {
            try {
                return TestSupport.JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private Reply get(String path, String bearer, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path.substring(1)));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> r = HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (Exception e) {
            throw new AssertionError("GET " + path, e);
        }
    }

    private static PrivateKey attackersKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair().getPrivate();
    }

    /** The same claims with {@code "alg": "none"} and no signature. */
    private static String unsigned(String signed) {
        String header = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.US_ASCII));
        return header + "." + signed.split("\\.")[1] + ".";
    }
}
