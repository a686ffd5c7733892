package io.concertticket.payment;

import com.fasterxml.jackson.databind.JsonNode;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "payment"))
class PaymentConcurrencyTest extends PaymentTestBase {

    private void assertChargedExactlyOnce(String user, long reservationId, List<TestSupport.Reply> replies) {
        assertThat(replies).as("every duplicate gets the one payment").allMatch(r -> r.status() == 200);
        assertThat(replies.stream().map(r -> r.json().get("paymentId").asText()).collect(Collectors.toSet())).hasSize(1);
        assertThat(replies).allMatch(r -> r.json().get("status").asText().equals("COMPLETED")
                && r.json().get("amount").asLong() == 3_000 && r.json().get("balance").asLong() == 7_000);
        assertThat(TestSupport.balance(ds, user)).isEqualTo(7_000);
        assertThat(count("SELECT count(*) FROM point_history WHERE user_id = ? AND type = 'USE'", user)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM payment WHERE reservation_id = ?", reservationId)).isEqualTo(1);
        assertThat(payableStatus(reservationId)).isEqualTo("PAID");
        List<JsonNode> completed = publishedEvents("PaymentCompleted", reservationId);
        assertThat(completed).hasSize(1);
        JsonNode data = completed.get(0).get("data");
        assertThat(data.get("paymentId").asText()).isEqualTo(replies.get(0).json().get("paymentId").asText());
        assertThat(data.get("reservationId").asLong()).isEqualTo(reservationId);
        assertThat(data.get("userId").asText()).isEqualTo(user);
        assertThat(data.get("concertId").asLong()).isEqualTo(7);
        assertThat(data.get("amount").asLong()).isEqualTo(3_000);
        assertThat(Instant.parse(data.get("paidAt").asText())).isBefore(Instant.now());
        assertThat(completed.get(0).get("source").asText()).isEqualTo("/payment-service");
        assertThat(completed.get(0).get("dataversion").asInt()).isEqualTo(1);
    }

    private List<TestSupport.Reply> racePayments(String user, long reservationId, int n, java.util.function.IntFunction<String> key)
            throws Exception {
        String token = TestSupport.admittedToken(user); // minted up front: the race measures the service
        List<Callable<TestSupport.Reply>> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String k = key.apply(i);
            tasks.add(() -> TestSupport.payWith(base(), token, reservationId, k));
        }
        return TestSupport.race(n, tasks);
    }

    @Test
    void aHundredConcurrentPaymentsForOneReservationChargeItExactlyOnce() throws Exception {
        String user = TestSupport.newUserId();
        charge(user, 10_000);
        long reservationId = heldReservation(user, 3_000, Instant.now().plusSeconds(600));
        assertChargedExactlyOnce(user, reservationId, racePayments(user, reservationId, 100, i -> null));
    }

    @Test
    void aHundredConcurrentRetriesWithOneIdempotencyKeyChargeOnceAndReplayTheFirstResult() throws Exception {
        String user = TestSupport.newUserId();
        charge(user, 10_000);
        long reservationId = heldReservation(user, 3_000, Instant.now().plusSeconds(600));
        List<TestSupport.Reply> replies = racePayments(user, reservationId, 100, i -> "pay-" + reservationId);
        assertChargedExactlyOnce(user, reservationId, replies);
        assertThat(replies.stream().filter(r -> r.headers().containsKey("idempotent-replayed")).count()).isEqualTo(99);
    }

    @Test
    void aHundredConcurrentPaymentsWithDifferentIdempotencyKeysStillChargeOnce() throws Exception {
        String user = TestSupport.newUserId();
        charge(user, 10_000);
        long reservationId = heldReservation(user, 3_000, Instant.now().plusSeconds(600));
        assertChargedExactlyOnce(user, reservationId, racePayments(user, reservationId, 100, i -> "k-" + i + "-" + reservationId));
    }

    @Test
    void withPointsForOnlyOneOfTwoReservationsExactlyOnePaymentSucceeds() throws Exception {
        // 20 users at once, each racing two payments against a balance that covers one
        int users = 20;
        List<String> userIds = new ArrayList<>();
        List<long[]> reservations = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            String user = TestSupport.newUserId();
            charge(user, 5_000);
            userIds.add(user);
            long a = TestSupport.newReservationId();
            long b = TestSupport.newReservationId();
            TestSupport.seatHeld(a, user, 4_000, Instant.now().plusSeconds(600));
            TestSupport.seatHeld(b, user, 4_000, Instant.now().plusSeconds(600));
            reservations.add(new long[]{a, b});
        }
        reservations.forEach(r -> {
            awaitKnown(r[0]);
            awaitKnown(r[1]);
        });
        List<Callable<TestSupport.Reply>> tasks = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            String token = TestSupport.admittedToken(userIds.get(u));
            for (long r : reservations.get(u)) {
                tasks.add(() -> TestSupport.payWith(base(), token, r, null));
            }
        }
        List<TestSupport.Reply> replies = TestSupport.race(tasks.size(), tasks);
        for (int u = 0; u < users; u++) {
            List<TestSupport.Reply> mine = replies.subList(2 * u, 2 * u + 2);
            assertThat(mine.stream().map(TestSupport.Reply::status).sorted().toList()).isEqualTo(List.of(200, 402));
            TestSupport.Reply refused = mine.stream().filter(r -> r.status() == 402).findFirst().orElseThrow();
            assertThat(refused.json().get("required").asLong()).isEqualTo(4_000);
            assertThat(refused.json().get("balance").asLong()).isEqualTo(1_000);
            assertThat(refused.json().get("shortfall").asLong()).isEqualTo(3_000);
            String user = userIds.get(u);
            assertThat(TestSupport.balance(ds, user)).isEqualTo(1_000);
            assertThat(count("SELECT count(*) FROM payment WHERE user_id = ?", user)).isEqualTo(1);
            long[] r = reservations.get(u);
            assertThat(List.of(payableStatus(r[0]), payableStatus(r[1]))).containsExactlyInAnyOrder("PAID", "BOOKED");
        }
    }
}
