package io.concertticket.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.concertticket.checker.CheckReport;
import io.concertticket.e2e.harness.Api;
import io.concertticket.e2e.harness.Api.Reply;
import io.concertticket.e2e.harness.Crowd;
import io.concertticket.e2e.harness.EventLog;
import io.concertticket.e2e.harness.Operator.Sale;
import io.concertticket.e2e.harness.Platform;
import io.concertticket.e2e.harness.PlatformExtension;
import io.concertticket.e2e.harness.Shopper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Paid means sold (invariant 7 of docs/architecture.md), under a Kafka outage that spans the hold deadlines while payments keep arriving:
 * payment-service alone decides paid versus expired, so every 200 COMPLETED ends PAID with its seat DONE for the
 * buyer, every refused payment charged nothing, and no paid seat is ever listed available or held by anyone
 * else, however late the decisions reach concert-service. Runs last: it restarts concert-service with a short hold.
 */
@ExtendWith(PlatformExtension.class)
@Isolated("a Kafka outage, and concert-service restarted with a short hold")
@Order(6)
class PaidMeansSoldIT {

    static final Duration HOLD = Duration.ofSeconds(20);
    static final int BUYERS = 24;
    static final int LATE_HOLDERS = 6;
    static final int RIVALS = 3;

    /** One buyer's purchase: the seat, the hold's answer and the payment's final answer. */
    record Purchase(Shopper shopper, int seat, Reply hold, Reply pay) {
        long reservationId() {
            return hold.number("reservationId");
        }
    }

    @AfterEach
    void heal() throws Exception {
        PlatformExtension.platform().heal();
    }

    @Test
    void aKafkaOutageSpanningHoldDeadlinesWhilePaymentsArriveNeverLosesAPaidSeat() throws Exception {
        long started = System.nanoTime();
        Platform platform = PlatformExtension.platform();
        platform.ensureHoldDuration(HOLD);
        Api api = new Api(platform.gatewayUrl());
        int seats = BUYERS + LATE_HOLDERS;
        Sale sale = platform.operator().openSale("Paid means sold", seats, 1_000);
        String run = "sold-" + UUID.randomUUID().toString().substring(0, 8);
        List<Shopper> all = Crowd.admittedAndCharged(platform, api, sale.concertId(), run, BUYERS + LATE_HOLDERS + RIVALS + 1,
                i -> 10_000);
        List<Shopper> buyers = all.subList(0, BUYERS);
        List<Shopper> lateHolders = all.subList(BUYERS, BUYERS + LATE_HOLDERS);
        List<Shopper> rivals = all.subList(BUYERS + LATE_HOLDERS, BUYERS + LATE_HOLDERS + RIVALS);
        Shopper watcher = all.get(all.size() - 1);

        // the buyers hold their seats while Kafka is up; payment-service learns of every hold
        List<Reply> holds = Crowd.race(buyers, Duration.ofMinutes(2), s -> s.hold(sale.scheduleId(), buyers.indexOf(s) + 1));
        holds.forEach(r -> assertThat(r.status()).as("%s", r).isEqualTo(201));
        Set<Long> held = holds.stream().map(r -> r.number("reservationId")).collect(Collectors.toSet());
        await().atMost(Duration.ofMinutes(1)).until(() -> countPayables(platform, held) == held.size());
        // the seat list shows them taken (it may trail a hold by a refresh); from now on every listing is recorded
        await().atMost(Duration.ofSeconds(30)).until(() -> availableSeats(watcher.seats(sale.scheduleId()))
                .stream().noneMatch(n -> n <= BUYERS));
        // rivals try the buyers' seats only: the seats of the holds during the outage must stay free for those
        SeatWatch watch = new SeatWatch(watcher, rivals, sale.scheduleId(), BUYERS);
        CompletableFuture<Void> watching = Crowd.background(() -> {
            watch.run();
            return null;
        });

        platform.stopKafka();
        long outageStart = System.nanoTime();
        Instant firstDeadline = holds.stream().map(r -> Instant.parse(r.text("expiresAt"))).min(Instant::compareTo).orElseThrow();
        System.out.printf("e2e: Kafka stopped %d ms before the first hold deadline%n",
                Duration.between(Instant.now(), firstDeadline).toMillis());

        // while the broker is down, buyer i pays at (its deadline - 12 s + i * 20 s / BUYERS): the first ones in
        // time, the last ones late; payment-service needs no broker to decide
        CompletableFuture<List<Reply>> payments = Crowd.background(() -> Crowd.race(buyers, Duration.ofMinutes(2), s -> {
            int i = buyers.indexOf(s);
            Instant deadline = Instant.parse(holds.get(i).text("expiresAt"));
            sleepUntil(deadline.minusSeconds(12).plusMillis(i * 20_000L / BUYERS));
            return Shopper.retrying(Duration.ofSeconds(60), () -> s.pay(holds.get(i).number("reservationId")));
        }));
        // others hold during the outage: their SeatHeld reaches payment-service only after it, past the deadline
        List<Reply> lateHolds = Crowd.race(lateHolders, Duration.ofMinutes(1), s -> s.hold(sale.scheduleId(), BUYERS + lateHolders.indexOf(s) + 1));
        lateHolds.forEach(r -> assertThat(r.status()).as("hold while Kafka is down: %s", r).isEqualTo(201));
        Instant lastDeadline = lateHolds.stream().map(r -> Instant.parse(r.text("expiresAt"))).max(Instant::compareTo).orElseThrow();
        CompletableFuture<List<Reply>> latePayments = Crowd.background(() -> Crowd.race(lateHolders, Duration.ofMinutes(3),
                s -> s.payRetrying(lateHolds.get(lateHolders.indexOf(s)).number("reservationId"), Duration.ofMinutes(2))));

        List<Reply> pays = payments.get();
        sleepUntil(lastDeadline.plusSeconds(3));
        platform.startKafka();
        System.out.printf("e2e: Kafka back after %d s%n", Duration.ofNanos(System.nanoTime() - outageStart).toSeconds());
        List<Reply> latePays = latePayments.get();

        List<Purchase> purchases = new ArrayList<>();
        for (int i = 0; i < BUYERS; i++) {
            purchases.add(new Purchase(buyers.get(i), i + 1, holds.get(i), pays.get(i)));
        }
        for (int i = 0; i < LATE_HOLDERS; i++) {
            purchases.add(new Purchase(lateHolders.get(i), BUYERS + i + 1, lateHolds.get(i), latePays.get(i)));
        }
        // every decision reaches concert-service: no reservation of ours stays BOOKED
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (Purchase p : purchases) {
                assertThat(p.shopper().reservation(p.reservationId()).text("status")).as("reservation %d", p.reservationId())
                        .isIn("PAID", "CANCELED");
            }
        });
        watch.stop();
        watching.get();

        int paid = 0;
        int refused = 0;
        Set<Integer> paidSeats = new java.util.TreeSet<>();
        for (Purchase p : purchases) {
            Reply pay = p.pay();
            String status = p.shopper().reservation(p.reservationId()).text("status");
            if (pay.is(200)) {
                paid++;
                paidSeats.add(p.seat());
                assertThat(pay.text("status")).isEqualTo("COMPLETED");
                assertThat(status).as("answered COMPLETED: reservation %d", p.reservationId()).isEqualTo("PAID");
                assertThat(seatState(platform, sale.scheduleId(), p.seat())).as("seat %d", p.seat())
                        .isEqualTo("DONE:" + p.shopper().userId);
                assertThat(p.shopper().balance().number("balance")).isEqualTo(p.shopper().charged() - sale.price(p.seat()));
            } else {
                refused++;
                assertThat(pay.status()).as("payment of %d: %s", p.reservationId(), pay).isEqualTo(409);
                assertThat(pay.header("Content-Type")).startsWith("application/problem+json");
                assertThat(pay.problem()).isIn("reservation-canceled", "payment-deadline-passed");
                assertThat(status).as("refused: reservation %d", p.reservationId()).isEqualTo("CANCELED");
                assertThat(p.shopper().balance().number("balance")).as("nothing charged to %s", p.shopper())
                        .isEqualTo(p.shopper().charged());
            }
        }
        System.out.printf("e2e: paid means sold: %d paid, %d refused (%d of them held during the outage); %d seat lists "
                        + "and %d rival holds watched; took %d s%n", paid, refused, LATE_HOLDERS, watch.listings.get(),
                watch.rivalAttempts.get(), Duration.ofNanos(System.nanoTime() - started).toSeconds());
        assertThat(paid).as("payments in time").isPositive();
        assertThat(refused).as("payments too late").isGreaterThanOrEqualTo(LATE_HOLDERS);
        for (int i = 0; i < LATE_HOLDERS; i++) {
            assertThat(latePays.get(i).status()).as("paid for a hold whose SeatHeld arrived past its deadline: %s", latePays.get(i))
                    .isEqualTo(409);
        }
        assertThat(watch.listed).as("seat lists that answered").isNotEmpty();
        assertThat(paidSeats).as("paid seats ever listed available").doesNotContainAnyElementsOf(watch.seenAvailable);
        assertThat(paidSeats).as("paid seats a rival held").doesNotContainAnyElementsOf(watch.rivalGot.keySet());

        // no refund: nobody was charged for a seat they did not get
        List<EventLog.Event> events = EventLog.readAll(platform.bootstrapServers(), List.of(EventLog.PAYMENT_EVENTS));
        assertThat(EventLog.ofType(events, "PaymentRefunded", e -> e.longField("concertId") == sale.concertId())).isEmpty();

        CheckReport report = platform.checkInvariants("the Kafka outage spanning hold deadlines");
        assertThat(report.violated()).as(report.format()).isEmpty();
    }

    /**
     * Until stopped: reads the seat list every 300 ms, noting every seat ever listed available, and has rivals try
     * to hold every seat, noting which they got.
     */
    private static final class SeatWatch {
        final Set<Integer> seenAvailable = ConcurrentHashMap.newKeySet();
        final Map<Integer, String> rivalGot = new ConcurrentHashMap<>();
        final List<Integer> listed = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger listings = new AtomicInteger();
        final AtomicInteger rivalAttempts = new AtomicInteger();
        private final Shopper watcher;
        private final List<Shopper> rivals;
        private final long scheduleId;
        private final int seats;
        private final AtomicBoolean running = new AtomicBoolean(true);

        SeatWatch(Shopper watcher, List<Shopper> rivals, long scheduleId, int seats) {
            this.watcher = watcher;
            this.rivals = rivals;
            this.scheduleId = scheduleId;
            this.seats = seats;
        }

        void run() {
            int round = 0;
            while (running.get()) {
                Reply list = watcher.seats(scheduleId);
                if (list.is(200)) {
                    listings.incrementAndGet();
                    listed.add(round);
                    seenAvailable.addAll(availableSeats(list));
                }
                // every third round, a rival tries one seat (each rival holds at most the hold limit)
                if (round % 3 == 0) {
                    Shopper rival = rivals.get(round / 3 % rivals.size());
                    int seat = round / 3 % seats + 1;
                    rivalAttempts.incrementAndGet();
                    if (rival.hold(scheduleId, seat).is(201)) {
                        rivalGot.put(seat, rival.userId);
                    }
                }
                round++;
                sleepUntil(Instant.now().plusMillis(300));
            }
        }

        void stop() {
            running.set(false);
        }
    }

    private static Set<Integer> availableSeats(Reply seats) {
        assertThat(seats.status()).as("%s", seats).isEqualTo(200);
        Set<Integer> available = new java.util.TreeSet<>();
        for (JsonNode seat : seats.body().path("seats")) {
            if (seat.path("available").asBoolean()) {
                available.add(seat.path("seatNumber").asInt());
            }
        }
        return available;
    }

    private static String seatState(Platform platform, long scheduleId, int seatNumber) {
        return platform.database("concert").queryString(
                "SELECT status || ':' || coalesce(user_id, '-') FROM seat WHERE schedule_id = ? AND seat_number = ?", scheduleId, seatNumber);
    }

    private static long countPayables(Platform platform, Set<Long> ids) {
        return platform.database("payment").queryLong("SELECT count(*) FROM payable_reservation WHERE reservation_id = ANY (?)",
                (Object) ids.toArray(Long[]::new));
    }

    private static void sleepUntil(Instant when) {
        long millis = Duration.between(Instant.now(), when).toMillis();
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
