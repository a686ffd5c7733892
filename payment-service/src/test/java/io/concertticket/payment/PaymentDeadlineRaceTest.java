package io.concertticket.payment;

import com.fasterxml.jackson.databind.JsonNode;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.payment.application.ClosePaymentWindows;
import io.concertticket.testing.Sql;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Payments racing the deadline, decided by payment-service alone: hundreds of reservations whose deadlines
 * fall while their owners pay, with the scheduled window sweeper and four more "replicas" of it closing due
 * windows at the same time. Every reservation ends in exactly one of the two outcomes: paid (200, points taken
 * once, PaymentCompleted, never closed) or closed (409 problem JSON, nothing charged, PaymentWindowClosed once).
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "payment"))
class PaymentDeadlineRaceTest extends PaymentTestBase {

    private static final int RESERVATIONS = 300;
    private static final int SWEEPER_REPLICAS = 4;
    private static final long PRICE = 1_500;

    @Inject
    ClosePaymentWindows windows;

    @Test
    void everyReservationRacingItsDeadlineEndsEitherPaidOrClosedNeverBoth() throws Exception {
        List<String> users = new ArrayList<>();
        List<Long> reservations = new ArrayList<>();
        for (int i = 0; i < RESERVATIONS; i++) {
            users.add(TestSupport.newUserId());
            reservations.add(TestSupport.newReservationId());
        }
        List<Callable<Integer>> charges = new ArrayList<>();
        users.forEach(u -> charges.add(() -> TestSupport.charge(base(), u, PRICE, null).status()));
        assertThat(TestSupport.race(16, charges)).containsOnly(200);

        for (int i = 0; i < RESERVATIONS; i++) {
            TestSupport.seatHeld(reservations.get(i), users.get(i), PRICE, Instant.now().plusSeconds(600));
        }
        reservations.forEach(this::awaitKnown);
        // signed once all 300 are known, not before: hop tokens live 60 s, and a loaded machine can take longer to get here
        List<String> tokens = users.stream().map(TestSupport::admittedToken).toList();
        // then the deadlines are moved to 20 ms apart from a few seconds ahead (behind the API, as if the holds had
        // been that short), and each owner pays at a random moment between 2 s before and 1 s after their deadline:
        // some get the lock in time, some are late, while the sweepers close whatever is due
        Instant firstDeadline = Instant.now().plusSeconds(4);
        List<Instant> deadlines = new ArrayList<>();
        for (int i = 0; i < RESERVATIONS; i++) {
            deadlines.add(firstDeadline.plusMillis(i * 20L));
        }
        try (java.sql.Connection c = ds.getConnection();
             java.sql.PreparedStatement st = c.prepareStatement(
                     "UPDATE payable_reservation SET expires_at = ?::timestamptz WHERE reservation_id = ?")) {
            for (int i = 0; i < RESERVATIONS; i++) {
                st.setString(1, deadlines.get(i).toString());
                st.setLong(2, reservations.get(i));
                st.addBatch();
            }
            st.executeBatch();
        }
        java.util.Random random = new java.util.Random(16);
        List<Callable<TestSupport.Reply>> payments = new ArrayList<>();
        for (int i = 0; i < RESERVATIONS; i++) {
            String token = tokens.get(i);
            long reservationId = reservations.get(i);
            Instant payAt = deadlines.get(i).minusMillis(2_000).plusMillis(random.nextInt(3_000));
            payments.add(() -> {
                long wait = Duration.between(Instant.now(), payAt).toMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                return TestSupport.payWith(base(), token, reservationId, null);
            });
        }
        // besides the scheduled sweeper, four more "replicas" of it close due windows in small batches meanwhile
        AtomicBoolean racing = new AtomicBoolean(true);
        ExecutorService sweepers = Executors.newFixedThreadPool(SWEEPER_REPLICAS);
        List<Future<Integer>> sweeps = new ArrayList<>();
        for (int r = 0; r < SWEEPER_REPLICAS; r++) {
            sweeps.add(sweepers.submit(() -> {
                int batches = 0;
                while (racing.get()) {
                    windows.closeDueBatch(5);
                    batches++;
                    Thread.sleep(10); // a sweep every 10 ms per replica, not a busy loop on two cores
                }
                return batches;
            }));
        }
        List<TestSupport.Reply> results;
        try {
            results = TestSupport.race(RESERVATIONS, payments);
        } finally {
            racing.set(false);
            sweepers.shutdown();
        }
        for (Future<Integer> sweep : sweeps) {
            sweep.get(1, TimeUnit.MINUTES); // a sweeper that failed fails the test
        }
        Instant racedUntil = Instant.now();

        // every deadline is over now and the sweeper closes whatever is left
        await().atMost(Duration.ofSeconds(60)).until(() -> count(
                "SELECT count(*) FROM payable_reservation WHERE status = 'BOOKED' AND reservation_id IN (" + in(reservations) + ")") == 0);

        int paid = 0;
        int refused = 0;
        Set<Long> closed = new HashSet<>();
        for (int i = 0; i < RESERVATIONS; i++) {
            long reservationId = reservations.get(i);
            String user = users.get(i);
            TestSupport.Reply reply = results.get(i);
            if (reply.status() == 200) {
                paid++;
                assertThat(reply.json().get("status").asText()).isEqualTo("COMPLETED");
                assertThat(payableStatus(reservationId)).as("answered COMPLETED: %s", reservationId).isEqualTo("PAID");
                assertThat(TestSupport.queryString(ds, "SELECT status FROM payment WHERE reservation_id = ?", reservationId))
                        .isEqualTo("COMPLETED");
                assertThat(count("SELECT count(*) FROM payment WHERE reservation_id = ? AND paid_at < ?::timestamptz",
                        reservationId, deadlines.get(i).toString())).as("paid before its deadline").isEqualTo(1);
                assertThat(TestSupport.balance(ds, user)).isZero();
                assertThat(count("SELECT count(*) FROM point_history WHERE user_id = ? AND type = 'USE'", user)).isEqualTo(1);
            } else {
                refused++;
                assertThat(reply.status()).as("payment of %s: %s", reservationId, reply.body()).isEqualTo(409);
                assertThat(reply.headers().get("content-type").get(0)).startsWith("application/problem+json");
                assertThat(reply.json().get("type").asText()).matches(".*/(payment-deadline-passed|reservation-canceled)");
                assertThat(payableStatus(reservationId)).as("refused: %s", reservationId).isEqualTo("CANCELED");
                assertThat(count("SELECT count(*) FROM payment WHERE reservation_id = ?", reservationId)).isZero();
                assertThat(TestSupport.balance(ds, user)).as("nothing charged for %s", reservationId).isEqualTo(PRICE);
                closed.add(reservationId);
            }
            assertThat(count("SELECT count(*) FROM point_history WHERE user_id = ? AND type = 'REFUND'", user)).isZero();
        }
        System.out.printf("payments racing their deadlines: %d reservations, %d paid, %d refused (window closed), "
                + "payments took until %s after the first deadline%n", RESERVATIONS, paid, refused,
                Duration.between(firstDeadline, racedUntil));
        assertThat(paid + refused).isEqualTo(RESERVATIONS);
        assertThat(paid).as("payments that got the lock in time").isPositive();
        assertThat(refused).as("payments too late").isPositive();

        // on the topic: one decision per reservation, PaymentCompleted for the paid, PaymentWindowClosed for the others
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM outbox_event") == 0);
        Set<String> ids = reservations.stream().map(String::valueOf).collect(Collectors.toSet());
        Map<String, List<String>> decisions = TestSupport.readAll("payment.payment-events").stream()
                .filter(r -> ids.contains(r.key()))
                .map(r -> json(r.value()))
                .collect(Collectors.groupingBy(e -> e.get("data").get("reservationId").asText(),
                        Collectors.mapping(e -> e.get("type").asText(), Collectors.toList())));
        assertThat(decisions).hasSize(RESERVATIONS);
        decisions.forEach((id, types) -> assertThat(types).as("decisions for %s", id)
                .containsExactly(closed.contains(Long.parseLong(id)) ? "PaymentWindowClosed" : "PaymentCompleted"));

        // concert-service then releases the seats of the closed ones and says so: nothing changes here, no refund
        List<String> expiries = new ArrayList<>();
        for (int i = 0; i < RESERVATIONS; i++) {
            if (closed.contains(reservations.get(i))) {
                expiries.add(TestSupport.reservationExpired(reservations.get(i), users.get(i)));
            }
        }
        for (String eventId : expiries) {
            await().atMost(Duration.ofSeconds(120)).until(() ->
                    count("SELECT count(*) FROM processed_event WHERE event_id = ?::uuid", eventId) == 1);
        }
        assertThat(count("SELECT count(*) FROM payment WHERE status = 'REFUNDED' AND reservation_id IN (" + in(reservations) + ")")).isZero();
    }

    @Test
    void aPaymentBeforeTheDeadlineStaysPaidAfterItAndItsWindowNeverCloses() throws Exception {
        String user = TestSupport.newUserId();
        charge(user, PRICE);
        long reservationId = heldReservation(user, PRICE, Instant.now().plusSeconds(600));
        assertThat(TestSupport.pay(base(), user, reservationId, null).status()).isEqualTo(200);
        // its deadline passes (moved behind the API), and the sweepers run
        new Sql(ds).update("UPDATE payable_reservation SET expires_at = now() - interval '1 second' WHERE reservation_id = ?", reservationId);
        while (windows.closeDueBatch(1_000) == 1_000) {
            // drain whatever else is due in the shared database
        }
        assertThat(payableStatus(reservationId)).isEqualTo("PAID");
        assertThat(TestSupport.balance(ds, user)).isZero();
        assertThat(publishedEvents("PaymentWindowClosed", reservationId)).isEmpty();
        assertThat(publishedEvents("PaymentCompleted", reservationId)).hasSize(1);
    }

    private static String in(List<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static JsonNode json(String value) {
        try {
            return TestSupport.JSON.readTree(value);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
