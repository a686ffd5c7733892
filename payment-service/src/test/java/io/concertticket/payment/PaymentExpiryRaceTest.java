package io.concertticket.payment;

import com.fasterxml.jackson.databind.JsonNode;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Payment and expiry crossing at the deadline: concert-service expires reservations (ReservationExpired on
 * Kafka) while their owners pay. Whichever wins, no point may be lost or created, and the end state is
 * CANCELED with the points back (refunded if the payment got in first).
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "payment"))
class PaymentExpiryRaceTest extends PaymentTestBase {

    private static final int ITERATIONS = 100;
    private static final long PRICE = 1_500;

    @Test
    void paymentRacingExpiryEndsCanceledWithThePointsBackEveryTime() throws Exception {
        List<String> users = new ArrayList<>();
        List<Long> reservations = new ArrayList<>();
        for (int i = 0; i < ITERATIONS; i++) {
            String user = TestSupport.newUserId();
            charge(user, PRICE);
            long reservationId = TestSupport.newReservationId();
            TestSupport.seatHeld(reservationId, user, PRICE, Instant.now().plusSeconds(600));
            users.add(user);
            reservations.add(reservationId);
        }
        reservations.forEach(this::awaitKnown);

        // all payments at once over HTTP, while the expiries arrive over Kafka in a shuffled order and are
        // applied one after another by the consumer: each payment lands before or after its expiry
        List<Integer> expiryOrder = new ArrayList<>();
        for (int i = 0; i < ITERATIONS; i++) {
            expiryOrder.add(i);
        }
        Collections.shuffle(expiryOrder);
        List<String> expiryEvents = Collections.synchronizedList(new ArrayList<>());
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < ITERATIONS; i++) {
            String token = TestSupport.admittedToken(users.get(i));
            long reservationId = reservations.get(i);
            tasks.add(() -> TestSupport.payWith(base(), token, reservationId, null).status());
        }
        tasks.add(() -> {
            for (int i : expiryOrder) {
                expiryEvents.add(TestSupport.reservationExpired(reservations.get(i), users.get(i)));
            }
            return 0;
        });
        List<Integer> results = TestSupport.race(ITERATIONS + 1, tasks);
        for (String eventId : expiryEvents) {
            await().atMost(Duration.ofSeconds(120)).until(() ->
                    count("SELECT count(*) FROM processed_event WHERE event_id = ?::uuid", eventId) == 1);
        }

        int paidThenRefunded = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            int payStatus = results.get(i);
            String user = users.get(i);
            long reservationId = reservations.get(i);
            assertThat(payStatus).as("payment of " + reservationId).isIn(200, 409);
            assertThat(payableStatus(reservationId)).isEqualTo("CANCELED");
            assertThat(TestSupport.balance(ds, user)).as("points back for " + reservationId).isEqualTo(PRICE);
            String paymentStatus = TestSupport.queryString(ds, "SELECT status FROM payment WHERE reservation_id = ?", reservationId);
            if (payStatus == 200) {
                paidThenRefunded++;
                assertThat(paymentStatus).isEqualTo("REFUNDED");
                assertThat(count("SELECT count(*) FROM point_history WHERE user_id = ? AND type = 'REFUND'", user)).isEqualTo(1);
            } else {
                assertThat(paymentStatus).isNull();
                assertThat(count("SELECT count(*) FROM point_history WHERE user_id = ? AND type <> 'CHARGE'", user)).isZero();
            }
        }
        System.out.printf("payment vs expiry, %d races: %d paid first (then refunded), %d expired first%n",
                ITERATIONS, paidThenRefunded, ITERATIONS - paidThenRefunded);

        // one PaymentRefunded per refunded payment, none for the others
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM outbox_event") == 0);
        Map<String, Long> refundedEvents = TestSupport.readAll("payment.payment-events").stream()
                .map(r -> {
                    try {
                        return TestSupport.JSON.readTree(r.value());
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                })
                .filter(e -> e.get("type").asText().equals("PaymentRefunded"))
                .map(e -> e.get("data").get("reservationId").asText())
                .filter(id -> reservations.contains(Long.parseLong(id)))
                .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
        assertThat(refundedEvents).hasSize(paidThenRefunded);
        assertThat(refundedEvents.values()).allMatch(n -> n == 1L);
    }

    @Test
    void aPaymentWellBeforeTheDeadlineWithNoExpiryStaysPaid() throws Exception {
        // the other outcome of the race: concert-service saw PaymentCompleted first and never expires it
        String user = TestSupport.newUserId();
        charge(user, PRICE);
        long reservationId = heldReservation(user, PRICE, Instant.now().plusSeconds(600));
        assertThat(TestSupport.pay(base(), user, reservationId, null).status()).isEqualTo(200);
        assertThat(payableStatus(reservationId)).isEqualTo("PAID");
        assertThat(TestSupport.balance(ds, user)).isZero();
        List<JsonNode> refunded = publishedEvents("PaymentRefunded", reservationId);
        assertThat(refunded).isEmpty();
    }
}
