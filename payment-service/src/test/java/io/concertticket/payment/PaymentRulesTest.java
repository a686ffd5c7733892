package io.concertticket.payment;

import io.concertticket.infra.testing.RealInfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "payment"))
class PaymentRulesTest extends PaymentTestBase {

    @Test
    void payingTakesTheAnnouncedPriceAndRecordsEverything() {
        String user = TestSupport.newUserId();
        charge(user, 10_000);
        long reservationId = heldReservation(user, 2_500, Instant.now().plusSeconds(600));

        TestSupport.Reply reply = TestSupport.pay(base(), user, reservationId, null);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("reservationId").asLong()).isEqualTo(reservationId);
        assertThat(reply.json().get("amount").asLong()).isEqualTo(2_500);
        assertThat(reply.json().get("balance").asLong()).isEqualTo(7_500);
        assertThat(reply.json().get("status").asText()).isEqualTo("COMPLETED");
        String paymentId = reply.json().get("paymentId").asText();

        assertThat(count("SELECT count(*) FROM point_history WHERE user_id = ? AND type = 'USE' AND amount = 2500 "
                + "AND balance_after = 7500 AND reservation_id = ? AND payment_id = ?::uuid", user, reservationId, paymentId))
                .isEqualTo(1);
        assertThat(payableStatus(reservationId)).isEqualTo("PAID");

        // paying again (a retry without a key) returns the same payment and takes nothing more
        TestSupport.Reply again = TestSupport.pay(base(), user, reservationId, null);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("paymentId").asText()).isEqualTo(paymentId);
        assertThat(TestSupport.balance(ds, user)).isEqualTo(7_500);
    }

    @Test
    void notEnoughPointsIsA402NamingTheShortfallAndChangesNothing() {
        String user = TestSupport.newUserId();
        charge(user, 1_000);
        long reservationId = heldReservation(user, 2_500, Instant.now().plusSeconds(600));
        TestSupport.Reply reply = TestSupport.pay(base(), user, reservationId, "k-" + reservationId);
        assertThat(reply.status()).isEqualTo(402);
        assertThat(reply.headers().get("content-type")).contains("application/problem+json");
        assertThat(reply.json().get("required").asLong()).isEqualTo(2_500);
        assertThat(reply.json().get("balance").asLong()).isEqualTo(1_000);
        assertThat(reply.json().get("shortfall").asLong()).isEqualTo(1_500);
        assertThat(TestSupport.balance(ds, user)).isEqualTo(1_000);
        assertThat(payableStatus(reservationId)).isEqualTo("BOOKED");

        // a failed attempt is not remembered: after charging, the same key pays
        charge(user, 1_500);
        assertThat(TestSupport.pay(base(), user, reservationId, "k-" + reservationId).status()).isEqualTo(200);
        assertThat(TestSupport.balance(ds, user)).isZero();
    }

    @Test
    void aUserWithoutAWalletGetsA402WithBalanceZero() {
        String user = TestSupport.newUserId();
        long reservationId = heldReservation(user, 100, Instant.now().plusSeconds(600));
        TestSupport.Reply reply = TestSupport.pay(base(), user, reservationId, null);
        assertThat(reply.status()).isEqualTo(402);
        assertThat(reply.json().get("balance").asLong()).isZero();
        assertThat(reply.json().get("shortfall").asLong()).isEqualTo(100);
    }

    @Test
    void someoneElsesReservationIsA404AndChangesNothing() {
        String owner = TestSupport.newUserId();
        String other = TestSupport.newUserId();
        charge(other, 10_000);
        long reservationId = heldReservation(owner, 2_500, Instant.now().plusSeconds(600));
        TestSupport.Reply reply = TestSupport.pay(base(), other, reservationId, null);
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().get("reservationId").asLong()).isEqualTo(reservationId);
        assertThat(TestSupport.balance(ds, other)).isEqualTo(10_000);
        assertThat(payableStatus(reservationId)).isEqualTo("BOOKED");
    }

    @Test
    void aSeatHeldArrivingPastItsDeadlineIsClosedAtOnceAndPayingItIsA409ThatChargesNothing() {
        String user = TestSupport.newUserId();
        charge(user, 10_000);
        // Kafka was away: the SeatHeld arrives after the hold's deadline
        long tooLate = TestSupport.newReservationId();
        TestSupport.seatHeld(tooLate, user, 2_500, Instant.now().minusSeconds(1));
        awaitKnown(tooLate);
        assertThat(payableStatus(tooLate)).isEqualTo("CANCELED");
        TestSupport.Reply reply = TestSupport.pay(base(), user, tooLate, null);
        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.headers().get("content-type").get(0)).startsWith("application/problem+json");
        assertThat(reply.json().get("type").asText()).endsWith("reservation-canceled");
        assertThat(TestSupport.balance(ds, user)).isEqualTo(10_000);
        assertThat(count("SELECT count(*) FROM payment WHERE reservation_id = ?", tooLate)).isZero();
        assertThat(publishedEvents("PaymentWindowClosed", tooLate)).hasSize(1);
    }

    @Test
    void aCanceledReservationIsA409() {
        String user = TestSupport.newUserId();
        charge(user, 10_000);
        long reservationId = heldReservation(user, 2_500, Instant.now().plusSeconds(600));
        TestSupport.reservationExpired(reservationId, user);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> "CANCELED".equals(payableStatus(reservationId)));
        TestSupport.Reply reply = TestSupport.pay(base(), user, reservationId, null);
        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.json().get("type").asText()).endsWith("reservation-canceled");
        assertThat(TestSupport.balance(ds, user)).isEqualTo(10_000);
    }

    @Test
    void aReservationStillUnknownAfterTheBoundedWaitIsA503WithRetryAfterAndChargesNothing() {
        // its SeatHeld may just be late: the client's payment is still valid, so "retry", not "not found"
        String user = TestSupport.newUserId();
        charge(user, 10_000);
        long unknown = TestSupport.newReservationId();
        TestSupport.Reply reply = TestSupport.pay(base(), user, unknown, "k-" + unknown);
        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.headers().get("content-type")).contains("application/problem+json");
        assertThat(reply.headers().get("retry-after")).containsExactly("1");
        assertThat(reply.json().get("type").asText()).endsWith("reservation-not-yet-known");
        assertThat(reply.json().get("reservationId").asLong()).isEqualTo(unknown);
        assertThat(TestSupport.balance(ds, user)).isEqualTo(10_000);

        // the SeatHeld arrives after all: the same request (same key, it was not remembered) now pays
        TestSupport.seatHeld(unknown, user, 2_500, Instant.now().plusSeconds(600));
        assertThat(TestSupport.pay(base(), user, unknown, "k-" + unknown).status()).isEqualTo(200);
        assertThat(TestSupport.balance(ds, user)).isEqualTo(7_500);
    }

    @Test
    void payingWithoutAHopTokenIsA401() {
        TestSupport.Reply reply = TestSupport.payWith(base(), null, 1, null);
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.headers().get("content-type")).contains("application/problem+json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"reservationId\": null}", "{\"reservationId\": \"abc\"}", "{\"reservationId\": 1.5}",
            "{\"reservationId\": -3}", "{\"reservationId\": 0}"})
    void aBadPaymentRequestIsA400NamingTheField(String body) {
        String user = TestSupport.newUserId();
        charge(user, 100);
        TestSupport.Reply reply = TestSupport.post(base(), "/api/v1/payments", TestSupport.admittedToken(user), null, body);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body()).contains("reservationId");
        assertThat(TestSupport.balance(ds, user)).isEqualTo(100);
    }

    @Test
    void anIdempotencyKeyReusedForAnotherReservationIsA422() {
        String user = TestSupport.newUserId();
        charge(user, 10_000);
        long first = heldReservation(user, 1_000, Instant.now().plusSeconds(600));
        long second = heldReservation(user, 1_000, Instant.now().plusSeconds(600));
        assertThat(TestSupport.pay(base(), user, first, "same-key-" + first).status()).isEqualTo(200);
        TestSupport.Reply reply = TestSupport.pay(base(), user, second, "same-key-" + first);
        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().get("field").asText()).isEqualTo("Idempotency-Key");
        assertThat(TestSupport.balance(ds, user)).isEqualTo(9_000);
        assertThat(payableStatus(second)).isEqualTo("BOOKED");
    }
}
