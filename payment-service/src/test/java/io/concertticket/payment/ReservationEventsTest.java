package io.concertticket.payment;

import com.fasterxml.jackson.databind.JsonNode;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Kafka side: SeatHeld and ReservationExpired as concert-service publishes them, and what is dead-lettered. */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "payment"))
class ReservationEventsTest extends PaymentTestBase {

    private static final String TOPIC = "concert.reservation-events";

    @Test
    void aPaymentSentRightAfterSeatHeldWasProducedWaitsForItAndSucceeds() throws Exception {
        int n = 20;
        List<String> users = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String user = TestSupport.newUserId();
            charge(user, 1_000);
            users.add(user);
        }
        List<Callable<TestSupport.Reply>> tasks = new ArrayList<>();
        for (String user : users) {
            String token = TestSupport.admittedToken(user);
            tasks.add(() -> {
                long reservationId = TestSupport.newReservationId();
                TestSupport.seatHeld(reservationId, user, 400, Instant.now().plusSeconds(600));
                return TestSupport.payWith(base(), token, reservationId, null); // no waiting here: the service must
            });
        }
        List<TestSupport.Reply> replies = TestSupport.race(n, tasks);
        assertThat(replies).extracting(TestSupport.Reply::status).containsOnly(200);
        for (String user : users) {
            assertThat(TestSupport.balance(ds, user)).isEqualTo(600);
        }
    }

    @Test
    void aPaymentThatCrossedTheDeadlineIsRefundedOnceWhenTheReservationExpires() {
        String user = TestSupport.newUserId();
        charge(user, 5_000);
        long reservationId = heldReservation(user, 2_000, Instant.now().plusSeconds(600));
        TestSupport.Reply paid = TestSupport.pay(base(), user, reservationId, null);
        assertThat(paid.status()).isEqualTo(200);
        assertThat(TestSupport.balance(ds, user)).isEqualTo(3_000);

        // concert-service expired it anyway (it did not see PaymentCompleted in time); delivered twice
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("reservationId", reservationId);
        data.put("userId", user);
        data.put("concertId", 7);
        data.put("scheduleId", 70);
        data.put("seatId", 3);
        data.put("seatNumber", 3);
        data.put("expiredAt", Instant.now().toString());
        String event = TestSupport.cloudEvent("ReservationExpired", "reservation/" + reservationId, data);
        TestSupport.produce(TOPIC, Long.toString(reservationId), event);
        TestSupport.produce(TOPIC, Long.toString(reservationId), event);
        String last = TestSupport.reservationExpired(reservationId, user); // and once more as a new event
        // same key, same partition: once the last one is applied, so are the two before it
        awaitProcessed(last);

        assertThat(payableStatus(reservationId)).isEqualTo("CANCELED");
        assertThat(TestSupport.queryString(ds, "SELECT status FROM payment WHERE reservation_id = ?", reservationId))
                .isEqualTo("REFUNDED");
        assertThat(count("SELECT count(*) FROM point_history WHERE user_id = ? AND type = 'REFUND' AND amount = 2000 "
                + "AND balance_after = 5000 AND reservation_id = ?", user, reservationId)).isEqualTo(1);
        assertThat(TestSupport.balance(ds, user)).isEqualTo(5_000);

        List<JsonNode> refunded = publishedEvents("PaymentRefunded", reservationId);
        assertThat(refunded).hasSize(1);
        JsonNode d = refunded.get(0).get("data");
        assertThat(d.get("paymentId").asText()).isEqualTo(paid.json().get("paymentId").asText());
        assertThat(d.get("reservationId").asLong()).isEqualTo(reservationId);
        assertThat(d.get("userId").asText()).isEqualTo(user);
        assertThat(d.get("concertId").asLong()).isEqualTo(7);
        assertThat(d.get("amount").asLong()).isEqualTo(2_000);
        assertThat(d.get("refundedAt").asText()).isNotBlank();
    }

    @Test
    void aReservationThatExpiredBeforeItsSeatHeldArrivedNeverBecomesPayable() {
        String user = TestSupport.newUserId();
        charge(user, 5_000);
        long reservationId = TestSupport.newReservationId();
        String expired = TestSupport.reservationExpired(reservationId, user);
        String late = TestSupport.seatHeld(reservationId, user, 1_000, Instant.now().plusSeconds(600)); // e.g. replayed
        // the two are applied concurrently (ordered=false): whichever comes second, both must have been applied
        awaitProcessed(expired);
        awaitProcessed(late);
        assertThat(payableStatus(reservationId)).isEqualTo("CANCELED");

        TestSupport.Reply reply = TestSupport.pay(base(), user, reservationId, null);
        assertThat(reply.status()).isEqualTo(409);
        assertThat(TestSupport.balance(ds, user)).isEqualTo(5_000);
    }

    private void awaitProcessed(String eventId) {
        await().atMost(Duration.ofSeconds(60)).until(() ->
                count("SELECT count(*) FROM processed_event WHERE event_id = ?::uuid", eventId) == 1);
    }

    @Test
    void poisonMessagesGoToTheDeadLetterTopicWithAReasonAndConsumptionGoesOn() {
        String marker = UUID.randomUUID().toString();
        long id = TestSupport.newReservationId();
        Map<String, Object> noPrice = new LinkedHashMap<>();
        noPrice.put("reservationId", id);
        noPrice.put("userId", "poison-" + marker);
        noPrice.put("expiresAt", Instant.now().plusSeconds(60).toString());
        Map<String, Object> v2 = new LinkedHashMap<>(noPrice);
        v2.put("price", 10);

        TestSupport.produce(TOPIC, "x", "this is not JSON " + marker);
        TestSupport.produce(TOPIC, "x", TestSupport.cloudEvent("SeatMoved", "poison-" + marker, Map.of("marker", marker)));
        TestSupport.produce(TOPIC, Long.toString(id), TestSupport.cloudEvent("SeatHeld", "reservation/" + id, noPrice));
        TestSupport.produce(TOPIC, Long.toString(id), TestSupport.cloudEvent("SeatHeld", "reservation/" + id, v2)
                .replace("\"dataversion\":1", "\"dataversion\":2"));
        // a known type meant for someone else is skipped, not dead-lettered
        TestSupport.produce(TOPIC, "x", TestSupport.cloudEvent("TokenActivated", "poison-" + marker, Map.of("marker", marker)));

        String user = TestSupport.newUserId();
        long after = heldReservation(user, 10, Instant.now().plusSeconds(600)); // consumption went on

        await().atMost(Duration.ofSeconds(60)).until(() -> TestSupport.readAll("payment-service.dead-letter").stream()
                .filter(r -> r.value() != null && r.value().contains(marker)).count() == 4);
        List<ConsumerRecord<String, String>> dead = TestSupport.readAll("payment-service.dead-letter").stream()
                .filter(r -> r.value() != null && r.value().contains(marker)).toList();
        for (ConsumerRecord<String, String> r : dead) {
            Header reason = r.headers().lastHeader("dead-letter-reason");
            assertThat(reason).as("dead-letter-reason of " + r.value()).isNotNull();
            assertThat(new String(reason.value(), StandardCharsets.UTF_8)).isNotBlank();
        }
        assertThat(dead).noneMatch(r -> r.value().contains("TokenActivated"));
        assertThat(count("SELECT count(*) FROM payable_reservation WHERE reservation_id = ?", id)).isZero();
        assertThat(payableStatus(after)).isEqualTo("BOOKED");
    }
}
