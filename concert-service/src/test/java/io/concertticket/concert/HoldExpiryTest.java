package io.concertticket.concert;

import com.fasterxml.jackson.databind.JsonNode;
import io.concertticket.concert.support.ConcertApi;
import io.concertticket.concert.support.ConcertApi.Fixture;
import io.concertticket.concert.support.ConcertApi.Reply;
import io.concertticket.concert.support.Db;
import io.concertticket.concert.support.Kafka;
import io.concertticket.concert.support.Tokens;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.testing.KafkaTestProducer;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hold expiry as payment-service decides it: concert-service never frees a seat on its own clock. A hold past
 * its deadline is "expiry pending" and keeps its seat until payment-service's decision arrives on
 * payment.payment-events: PaymentWindowClosed cancels it, frees the seat and publishes ReservationExpired;
 * PaymentCompleted sells it, however late it comes.
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "concert"))
class HoldExpiryTest {

    static final String TOPIC = "concert.reservation-events";
    static final String PAYMENT_EVENTS = "payment.payment-events";
    @Inject
    Db db;

    @Test
    void aHoldPastItsDeadlineKeepsItsSeatUntilPaymentServiceClosesTheWindow() {
        Fixture f = ConcertApi.openSchedule(3, 45_000);
        String user = ConcertApi.newUser();
        Reply hold = ConcertApi.hold(Tokens.admitted(user, f.concertId()), f.scheduleId(), 2);
        long id = hold.body().path("reservationId").asLong();
        db.expireNow(id);

        // past the deadline, no decision yet: shown as expiry pending, the seat stays held and unsellable
        JsonNode pending = ConcertApi.get("/api/v1/reservations/" + id, Tokens.signedIn(user)).body();
        assertThat(pending.path("status").asText()).isEqualTo("BOOKED");
        assertThat(pending.path("expiryPending").asBoolean()).isTrue();
        assertThat(ConcertApi.hold(Tokens.admitted(ConcertApi.newUser(), f.concertId()), f.scheduleId(), 2).status()).isEqualTo(409);
        assertThat(db.queryString("SELECT status FROM seat WHERE schedule_id = ? AND seat_number = 2", f.scheduleId())).isEqualTo("HELD");

        // payment-service decides: the window is closed
        Kafka.send(PAYMENT_EVENTS, Long.toString(id), windowClosed(UUID.randomUUID(), id, user));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(ConcertApi.get("/api/v1/reservations/" + id, Tokens.signedIn(user)).body().path("status").asText())
                        .isEqualTo("CANCELED"));
        JsonNode canceled = ConcertApi.get("/api/v1/reservations/" + id, Tokens.signedIn(user)).body();
        assertThat(canceled.path("expiryPending").asBoolean()).isFalse();
        assertThat(canceled.path("canceledAt").isTextual()).isTrue();
        assertThat(db.queryString("SELECT status FROM seat WHERE schedule_id = ? AND seat_number = 2", f.scheduleId())).isEqualTo("AVAILABLE");
        assertThat(db.queryString("SELECT coalesce(user_id, 'none') FROM seat WHERE schedule_id = ? AND seat_number = 2", f.scheduleId())).isEqualTo("none");

        // someone else can take it now: at once from the database, or after the seat board's next read (at most
        // concert.cache.seats.max-age plus one read) if it still remembers the refusal of a moment ago
        String next = Tokens.admitted(ConcertApi.newUser(), f.concertId());
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(ConcertApi.hold(next, f.scheduleId(), 2).status()).isEqualTo(201));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Kafka.Event> events = Kafka.readAll(TOPIC, e -> String.valueOf(id).equals(e.key()));
            assertThat(events).extracting(Kafka.Event::type).containsExactly("SeatHeld", "ReservationExpired");
            Kafka.Event held = events.get(0);
            assertThat(held.headers()).containsEntry("content-type", "application/cloudevents+json");
            assertThat(held.envelope().path("specversion").asText()).isEqualTo("1.0");
            assertThat(held.envelope().path("source").asText()).isEqualTo("/concert-service");
            assertThat(held.envelope().path("subject").asText()).isEqualTo("reservation/" + id);
            assertThat(held.envelope().path("dataversion").asInt()).isEqualTo(1);
            assertThat(held.data().path("reservationId").asLong()).isEqualTo(id);
            assertThat(held.data().path("userId").asText()).isEqualTo(user);
            assertThat(held.data().path("concertId").asLong()).isEqualTo(f.concertId());
            assertThat(held.data().path("scheduleId").asLong()).isEqualTo(f.scheduleId());
            assertThat(held.data().path("seatNumber").asInt()).isEqualTo(2);
            assertThat(held.data().path("seatId").isNumber()).isTrue();
            assertThat(held.data().path("price").asLong()).isEqualTo(45_000);
            assertThat(held.data().path("heldAt").isTextual()).isTrue();
            assertThat(held.data().path("expiresAt").asText()).isEqualTo(hold.body().path("expiresAt").asText());
            Kafka.Event expired = events.get(1);
            assertThat(expired.data().path("reservationId").asLong()).isEqualTo(id);
            assertThat(expired.data().path("userId").asText()).isEqualTo(user);
            assertThat(expired.data().path("seatId").asLong()).isEqualTo(held.data().path("seatId").asLong());
            assertThat(expired.data().path("seatNumber").asInt()).isEqualTo(2);
            assertThat(expired.data().path("expiredAt").isTextual()).isTrue();
        });
    }

    @Test
    void aPaymentCompletedArrivingLongAfterTheDeadlineStillSellsTheSeatToItsBuyer() {
        Fixture f = ConcertApi.openSchedule(1, 1_000);
        String user = ConcertApi.newUser();
        long id = ConcertApi.hold(Tokens.admitted(user, f.concertId()), f.scheduleId(), 1).body().path("reservationId").asLong();
        db.update("UPDATE reservation SET expires_at = now() - interval '1 hour' WHERE id = ?", id);

        Kafka.send(PAYMENT_EVENTS, Long.toString(id), paymentCompleted(UUID.randomUUID(), id, user));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(db.queryString("SELECT status FROM reservation WHERE id = ?", id)).isEqualTo("PAID"));
        assertThat(db.queryString("SELECT status || ':' || user_id FROM seat WHERE schedule_id = ?", f.scheduleId())).isEqualTo("DONE:" + user);
    }

    /**
     * Hundreds of holds past their deadlines, payment-service's decisions arriving for them shuffled and each
     * twice, while other buyers keep trying to hold the same seats and the seat list is polled throughout: every
     * paid seat ends DONE for its buyer and was never listed available or held by anyone else; every closed one
     * ends CANCELED with its seat back on sale (or taken by a new hold), with one ReservationExpired.
     */
    @Test
    void decisionsForHundredsOfOverdueHoldsRacingNewHoldsLeaveEveryPaidSeatSold() throws Exception {
        int seats = 200;
        Fixture f = ConcertApi.openSchedule(seats, 1_000);
        List<String> holders = new ArrayList<>();
        List<String> holderTokens = new ArrayList<>();
        for (int i = 0; i < seats; i++) {
            String user = ConcertApi.newUser();
            holders.add(user);
            holderTokens.add(Tokens.admitted(user, f.concertId()));
        }
        List<Reply> holds = ConcertApi.race(seats, 40, i -> ConcertApi.hold(holderTokens.get(i), f.scheduleId(), i + 1));
        assertThat(holds).extracting(Reply::status).containsOnly(201);
        List<Long> ids = holds.stream().map(r -> r.body().path("reservationId").asLong()).toList();
        db.update("UPDATE seat SET hold_expires_at = now() - interval '1 second' WHERE schedule_id = ?", f.scheduleId());
        db.update("UPDATE reservation SET expires_at = now() - interval '1 second' WHERE schedule_id = ?", f.scheduleId());

        // payment-service's decisions: every other reservation paid in time, the rest closed
        Random random = new Random(16);
        Set<Long> paid = new HashSet<>();
        List<String[]> events = new ArrayList<>();
        for (int i = 0; i < seats; i++) {
            long id = ids.get(i);
            boolean pays = random.nextBoolean();
            String event = pays ? paymentCompleted(UUID.randomUUID(), id, holders.get(i)) : windowClosed(UUID.randomUUID(), id, holders.get(i));
            if (pays) {
                paid.add(id);
            }
            events.add(new String[] {Long.toString(id), event});
            events.add(new String[] {Long.toString(id), event}); // delivered twice
        }
        Collections.shuffle(events, random);
        Map<Integer, Long> seatOfPaid = new LinkedHashMap<>();
        for (int i = 0; i < seats; i++) {
            if (paid.contains(ids.get(i))) {
                seatOfPaid.put(i + 1, ids.get(i));
            }
        }

        // meanwhile: other buyers try to take the seats, and the seat list is read over and over
        AtomicBoolean racing = new AtomicBoolean(true);
        Set<Integer> paidSeatsSeenAvailable = ConcurrentHashMap.newKeySet();
        Map<Integer, String> newHolds = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<?>> background = new ArrayList<>();
        try {
            for (int t = 0; t < 4; t++) {
                int worker = t;
                background.add(pool.submit(() -> {
                    int round = 0;
                    while (racing.get() || round == 0) {
                        for (int seat = 1 + worker; seat <= seats; seat += 4) {
                            if (newHolds.containsKey(seat)) {
                                continue;
                            }
                            String rival = ConcertApi.newUser();
                            Reply r = ConcertApi.hold(Tokens.admitted(rival, f.concertId()), f.scheduleId(), seat);
                            if (r.status() == 201) {
                                newHolds.put(seat, rival);
                            }
                        }
                        round++;
                    }
                    return null;
                }));
            }
            for (int t = 0; t < 2; t++) {
                background.add(pool.submit(() -> {
                    String reader = ConcertApi.newUser();
                    while (racing.get()) {
                        // a hop token per request: they live 60 s, and this race can outlast one on a loaded machine
                        Reply list = ConcertApi.get("/api/v1/schedules/" + f.scheduleId() + "/seats", Tokens.admitted(reader, f.concertId()));
                        assertThat(list.status()).isEqualTo(200);
                        for (JsonNode seat : list.body().path("seats")) {
                            if (seat.path("available").asBoolean() && seatOfPaid.containsKey(seat.path("seatNumber").asInt())) {
                                paidSeatsSeenAvailable.add(seat.path("seatNumber").asInt());
                            }
                        }
                    }
                    return null;
                }));
            }
            try (KafkaTestProducer producer = Kafka.producer()) {
                for (String[] e : events) {
                    producer.send(PAYMENT_EVENTS, e[0], e[1]);
                }
            }
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() ->
                    assertThat(db.queryLong("SELECT count(*) FROM reservation WHERE schedule_id = ? AND status = 'BOOKED' AND id <= ?",
                            f.scheduleId(), ids.stream().mapToLong(Long::longValue).max().orElseThrow())).isZero());
        } finally {
            racing.set(false);
            pool.shutdown();
        }
        for (Future<?> b : background) {
            b.get(2, TimeUnit.MINUTES);
        }

        for (int i = 0; i < seats; i++) {
            long id = ids.get(i);
            int seat = i + 1;
            String seatState = db.queryString("SELECT status || ':' || coalesce(user_id, '-') FROM seat WHERE schedule_id = ? AND seat_number = ?",
                    f.scheduleId(), seat);
            if (paid.contains(id)) {
                assertThat(db.queryString("SELECT status FROM reservation WHERE id = ?", id)).isEqualTo("PAID");
                assertThat(seatState).as("paid seat %d", seat).isEqualTo("DONE:" + holders.get(i));
                assertThat(newHolds).as("paid seat %d held by a rival", seat).doesNotContainKey(seat);
            } else {
                assertThat(db.queryString("SELECT status FROM reservation WHERE id = ?", id)).isEqualTo("CANCELED");
                String rival = newHolds.get(seat);
                assertThat(seatState).as("closed seat %d", seat).isEqualTo(rival == null ? "AVAILABLE:-" : "HELD:" + rival);
            }
        }
        assertThat(paidSeatsSeenAvailable).as("paid seats ever listed available").isEmpty();
        System.out.printf("%d overdue holds decided (%d paid, %d closed) while rivals took %d freed seats%n",
                seats, paid.size(), seats - paid.size(), newHolds.size());

        // one ReservationExpired per closed reservation, none for a paid one
        Set<String> keys = ids.stream().map(String::valueOf).collect(Collectors.toSet());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(db.queryLong("SELECT count(*) FROM outbox_event WHERE message_key = ANY(CAST(? AS text[]))",
                        "{" + String.join(",", keys) + "}")).isZero());
        Map<String, Long> expiredPerReservation = Kafka.readAll(TOPIC, e -> keys.contains(e.key()) && e.type().equals("ReservationExpired"))
                .stream().collect(Collectors.groupingBy(Kafka.Event::key, Collectors.counting()));
        assertThat(expiredPerReservation.keySet()).isEqualTo(ids.stream().filter(id -> !paid.contains(id))
                .map(String::valueOf).collect(Collectors.toSet()));
        assertThat(expiredPerReservation.values()).containsOnly(1L);
    }

    static String windowClosed(UUID eventId, long reservationId, String user) {
        return Kafka.cloudEvent(eventId, "PaymentWindowClosed", Map.of("reservationId", reservationId, "userId", user,
                "expiresAt", Instant.now().minusSeconds(1).toString(), "closedAt", Instant.now().toString()));
    }

    static String paymentCompleted(UUID eventId, long reservationId, String user) {
        return Kafka.cloudEvent(eventId, "PaymentCompleted", Map.of("paymentId", UUID.randomUUID().toString(),
                "reservationId", reservationId, "userId", user, "amount", 1_000, "paidAt", Instant.now().toString()));
    }
}
