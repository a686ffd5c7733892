package io.concertticket.concert;

import io.concertticket.concert.support.ConcertApi;
import io.concertticket.concert.support.Tokens;
import io.concertticket.concert.support.ConcertApi.Fixture;
import io.concertticket.concert.support.Db;
import io.concertticket.concert.support.Kafka;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** payment.payment-events as payment-service publishes them, through the real broker. */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "concert"))
class PaymentEventsTest {

    static final String TOPIC = "payment.payment-events";
    static final String DEAD_LETTER = "concert-service.dead-letter";

    @Inject
    MeterRegistry meters;
    @Inject
    Db db;

    record Held(Fixture fixture, String user, long reservationId) {
    }

    @Test
    void aPaymentCompletedDeliveredTwiceIsAppliedOnce() {
        Held a = holdOne();
        Held marker = holdOne();
        double appliedBefore = applied();
        String completed = paymentCompleted(UUID.randomUUID(), a);

        // the same CloudEvent twice, then a marker on the same key (same partition, consumed after both)
        Kafka.send(TOPIC, key(a), completed, completed, paymentCompleted(UUID.randomUUID(), marker));

        awaitStatus(marker, "PAID");
        assertThat(db.queryString("SELECT status FROM reservation WHERE id = ?", a.reservationId())).isEqualTo("PAID");
        assertThat(db.queryString("SELECT status || ':' || user_id FROM seat WHERE id = (SELECT seat_id FROM reservation WHERE id = ?)",
                a.reservationId())).isEqualTo("DONE:" + a.user());
        assertThat(applied() - appliedBefore).isEqualTo(2.0);
        // the buyer sees the sale with their account alone: the admission token is revoked on payment
        ConcertApi.Reply paid = ConcertApi.get("/api/v1/reservations/" + a.reservationId(), Tokens.signedIn(a.user()));
        assertThat(paid.body().path("status").asText()).isEqualTo("PAID");
        assertThat(paid.body().path("paidAt").isTextual()).isTrue();
        assertThat(ConcertApi.get("/api/v1/reservations", Tokens.signedIn(a.user())).body().path("items").get(0).path("status").asText())
                .isEqualTo("PAID");
    }

    @Test
    void aSoldSeatIsNeverHeldAgain() {
        Held a = holdOne();
        Kafka.send(TOPIC, key(a), paymentCompleted(UUID.randomUUID(), a));
        awaitStatus(a, "PAID");

        // even once its old deadline is past, and even if a (wrong) PaymentWindowClosed arrives, a sold seat stays sold
        db.update("UPDATE reservation SET expires_at = now() - interval '1 second' WHERE id = ?", a.reservationId());
        Kafka.send(TOPIC, key(a), HoldExpiryTest.windowClosed(UUID.randomUUID(), a.reservationId(), a.user()));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Kafka.readAll(DEAD_LETTER, e -> key(a).equals(e.key())))
                .extracting(e -> e.headers().get("dead-letter-reason")).anySatisfy(r -> assertThat(r).contains("PAID")));

        ConcertApi.Reply again = ConcertApi.hold(Tokens.admitted(ConcertApi.newUser(), a.fixture().concertId()), a.fixture().scheduleId(), 1);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.type()).endsWith("/seat-taken");
        assertThat(ConcertApi.hold(Tokens.admitted(a.user(), a.fixture().concertId()), a.fixture().scheduleId(), 1).status()).isEqualTo(409);
        assertThat(db.queryString("SELECT status FROM reservation WHERE id = ?", a.reservationId())).isEqualTo("PAID");
        assertThat(db.queryString("SELECT status FROM seat WHERE schedule_id = ? AND seat_number = 1", a.fixture().scheduleId())).isEqualTo("DONE");
        assertThat(ConcertApi.scheduleOverview(a.fixture().scheduleId()).path("remainingSeatCount").asLong()).isZero();
    }

    @Test
    void aPaymentCompletedAfterTheWindowClosedIsDeadLetteredAndChangesNothing() {
        // payment-service never sends both; if it did, the cancellation (and whoever holds the seat now) stands
        Held a = holdOne();
        Held marker = holdOne();
        Kafka.send(TOPIC, key(a), HoldExpiryTest.windowClosed(UUID.randomUUID(), a.reservationId(), a.user()));
        awaitStatus(a, "CANCELED");

        Kafka.send(TOPIC, key(a), paymentCompleted(UUID.randomUUID(), a), paymentCompleted(UUID.randomUUID(), marker));

        awaitStatus(marker, "PAID");
        assertThat(db.queryString("SELECT status FROM reservation WHERE id = ?", a.reservationId())).isEqualTo("CANCELED");
        assertThat(db.queryString("SELECT status FROM seat WHERE schedule_id = ?", a.fixture().scheduleId())).isEqualTo("AVAILABLE");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Kafka.readAll(DEAD_LETTER, e -> key(a).equals(e.key())))
                .extracting(e -> e.headers().get("dead-letter-reason")).anySatisfy(r -> assertThat(r).contains("closed")));
    }

    @Test
    void whatCannotBeAppliedIsDeadLetteredAndRefundsAreSkipped() {
        Held a = holdOne();
        Held marker = holdOne();
        String unknownReservation = paymentCompleted(UUID.randomUUID(),
                new Held(a.fixture(), a.user(), 987_654_321L));
        String unknownType = Kafka.cloudEvent(UUID.randomUUID(), "PaymentExploded", Map.of("reservationId", a.reservationId()));
        String refunded = Kafka.cloudEvent(UUID.randomUUID(), "PaymentRefunded", Map.of("paymentId", UUID.randomUUID().toString(),
                "reservationId", a.reservationId(), "userId", a.user(), "concertId", a.fixture().concertId(), "amount", 1000,
                "refundedAt", Instant.now().toString()));
        String garbage = "not json " + UUID.randomUUID();

        Kafka.send(TOPIC, key(a), garbage, unknownType, unknownReservation, refunded, paymentCompleted(UUID.randomUUID(), marker));

        awaitStatus(marker, "PAID");
        assertThat(db.queryString("SELECT status FROM reservation WHERE id = ?", a.reservationId())).isEqualTo("BOOKED");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Kafka.Event> dead = Kafka.readAll(DEAD_LETTER, e -> key(a).equals(e.key()));
            assertThat(dead).hasSize(3);
            assertThat(dead).allSatisfy(e -> assertThat(e.headers()).containsKey("dead-letter-reason"));
            assertThat(dead).extracting(e -> e.headers().get("dead-letter-reason")).satisfiesExactlyInAnyOrder(
                    reason -> assertThat(reason).contains("not a CloudEvents JSON document"),
                    reason -> assertThat(reason).contains("PaymentExploded"),
                    reason -> assertThat(reason).contains("987654321"));
        });
    }

    private Held holdOne() {
        Fixture f = ConcertApi.openSchedule(1, 60_000);
        String user = ConcertApi.newUser();
        ConcertApi.Reply r = ConcertApi.hold(Tokens.admitted(user, f.concertId()), f.scheduleId(), 1);
        assertThat(r.status()).isEqualTo(201);
        return new Held(f, user, r.body().path("reservationId").asLong());
    }

    private void awaitStatus(Held h, String status) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(db.queryString("SELECT status FROM reservation WHERE id = ?", h.reservationId())).isEqualTo(status));
    }

    private double applied() {
        return meters.counter("concert.payments.applied").count();
    }

    private static String key(Held h) {
        return Long.toString(h.reservationId());
    }

    private static String paymentCompleted(UUID eventId, Held h) {
        return Kafka.cloudEvent(eventId, "PaymentCompleted", Map.of("paymentId", UUID.randomUUID().toString(),
                "reservationId", h.reservationId(), "userId", h.user(), "concertId", h.fixture().concertId(),
                "amount", 60_000, "paidAt", Instant.now().toString()));
    }
}
