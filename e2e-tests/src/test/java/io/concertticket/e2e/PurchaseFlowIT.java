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
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The main purchase flow, from the outside: 200 signed-in users join one concert's queue at once, poll
 * until admitted, charge points, then race four to a seat for 50 seats; the winners pay. Everything is
 * checked through the gateway's public API, on the topics with a plain consumer, and by the
 * invariant checker.
 */
@ExtendWith(PlatformExtension.class)
@Order(1)
class PurchaseFlowIT {

    static final int USERS = 200;
    static final int CONTESTED_SEATS = 50;
    /** Ten seats nobody asks for: they must stay on sale. */
    static final int SEATS = CONTESTED_SEATS + 10;

    record Attempt(Shopper shopper, int seat, Reply hold, Reply pay) {
        boolean won() {
            return hold.is(201);
        }

        long reservationId() {
            return hold.number("reservationId");
        }
    }

    @Test
    @Order(1)
    void twoHundredUsersQueueChargeAndRaceFourToASeatAndEveryWinnerEndsWithTheSeatAndTheRightBalance() throws Exception {
        Platform platform = PlatformExtension.platform();
        platform.ensureHoldDuration(Platform.NORMAL_HOLD);
        Operator operator = platform.operator();
        Sale sale = operator.openSale("Main scenario", SEATS, 1_000);
        Api api = new Api(platform.gatewayUrl());
        String run = "main-" + UUID.randomUUID().toString().substring(0, 8);
        long tAccounts = System.nanoTime();
        List<Shopper> shoppers = platform.shoppers(api, run, USERS, sale.concertId());
        System.out.printf("e2e: main scenario: %d accounts created and signed in in %d s%n", USERS,
                Duration.ofNanos(System.nanoTime() - tAccounts).toSeconds());
        long t0 = System.nanoTime();

        // ---- everyone arrives at once; each is admitted, charges, then waits at the seat-rush gate ----
        CountDownLatch everyoneReady = new CountDownLatch(USERS);
        CountDownLatch rush = new CountDownLatch(1);
        Map<String, Long> positionAtRegistration = new java.util.concurrent.ConcurrentHashMap<>();
        Thread opener = new Thread(() -> {
            try {
                if (everyoneReady.await(5, TimeUnit.MINUTES)) {
                    rush.countDown();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        opener.start();
        List<Attempt> attempts = Crowd.race(IntStream.range(0, USERS).boxed().toList(), Duration.ofMinutes(6), i -> {
            Shopper s = shoppers.get(i);
            Reply registered = s.register();
            assertThat(registered.status()).as("registration of %s: %s", s, registered).isEqualTo(201);
            assertThat(registered.text("status")).isEqualTo("WAITING");
            positionAtRegistration.put(s.userId, s.position());
            s.awaitAdmission(Duration.ofMinutes(4));
            s.charge(5_000 + 7L * i);
            everyoneReady.countDown();
            try {
                if (!rush.await(5, TimeUnit.MINUTES)) {
                    throw new AssertionError("the rush never started");
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            int seat = i % CONTESTED_SEATS + 1;
            Reply hold = s.hold(sale.scheduleId(), seat);
            Reply pay = hold.is(201) ? s.pay(hold.number("reservationId")) : null;
            return new Attempt(s, seat, hold, pay);
        });
        System.out.printf("e2e: main scenario: %d users queued, admitted, charged, raced and paid in %d s%n", USERS,
                Duration.ofNanos(System.nanoTime() - t0).toSeconds());

        // ---- the queue: arrival numbers 1..200 without gaps; each first answer placed the user no further
        //      back than their arrival (admission runs meanwhile, so earlier arrivals may already be gone) ----
        Map<String, Long> arrival = arrivalNumbers(platform, sale.concertId());
        Map<String, Long> arrivalByUser = new HashMap<>();
        attempts.forEach(a -> arrivalByUser.put(a.shopper().userId, arrival.get(a.shopper().queueToken())));
        assertThat(arrivalByUser.values()).containsExactlyInAnyOrderElementsOf(
                IntStream.rangeClosed(1, USERS).mapToObj(Long::valueOf).toList());
        positionAtRegistration.forEach((user, position) ->
                assertThat(position).as("first position of %s", user).isBetween(1L, arrivalByUser.get(user)));

        // ---- the rush: exactly one winner per contested seat, every loser told 409, no 5xx ----
        Map<Integer, List<Attempt>> bySeat = attempts.stream().collect(Collectors.groupingBy(Attempt::seat));
        assertThat(bySeat).hasSize(CONTESTED_SEATS);
        bySeat.forEach((seat, contenders) -> {
            assertThat(contenders).as("seat %d", seat).hasSize(USERS / CONTESTED_SEATS);
            assertThat(contenders.stream().filter(Attempt::won)).as("winners of seat %d: %s", seat, contenders).hasSize(1);
            contenders.stream().filter(a -> !a.won()).forEach(a ->
                    assertThat(a.hold().status()).as("loser %s on seat %d: %s", a.shopper(), seat, a.hold()).isEqualTo(409));
        });
        List<Attempt> winners = attempts.stream().filter(Attempt::won).toList();
        List<Attempt> losers = attempts.stream().filter(a -> !a.won()).toList();

        // ---- every winner paid the seat's price, and the balance says so ----
        for (Attempt w : winners) {
            assertThat(w.hold().text("status")).isEqualTo("BOOKED");
            assertThat(w.hold().number("price")).isEqualTo(sale.price(w.seat()));
            assertThat(w.pay().status()).as("payment of %s: %s", w.shopper(), w.pay()).isEqualTo(200);
            assertThat(w.pay().text("status")).isEqualTo("COMPLETED");
            assertThat(w.pay().number("amount")).isEqualTo(sale.price(w.seat()));
            assertThat(w.pay().number("balance")).isEqualTo(w.shopper().charged() - sale.price(w.seat()));
        }

        // ---- a loser (still admitted) sees every sold seat taken and the untouched ones free; losers keep their points ----
        Shopper observer = losers.get(0).shopper();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Reply seats = observer.seats(sale.scheduleId());
            assertThat(seats.status()).as("%s", seats).isEqualTo(200);
            Map<Integer, Boolean> available = new TreeMap<>();
            for (JsonNode seat : seats.body().path("seats")) {
                available.put(seat.path("seatNumber").asInt(), seat.path("available").asBoolean());
            }
            assertThat(available).hasSize(SEATS);
            IntStream.rangeClosed(1, CONTESTED_SEATS).forEach(n -> assertThat(available.get(n)).as("seat %d", n).isFalse());
            IntStream.rangeClosed(CONTESTED_SEATS + 1, SEATS).forEach(n -> assertThat(available.get(n)).as("seat %d", n).isTrue());
        });
        for (Attempt l : losers) {
            Reply balance = l.shopper().balance();
            assertThat(balance.status()).as("%s", balance).isEqualTo(200);
            assertThat(balance.number("balance")).as("balance of loser %s", l.shopper()).isEqualTo(l.shopper().charged());
        }

        // ---- once their admission is used up, winners find their reservation PAID and their balance right with
        //      the identity token alone (no need to queue again to see what they bought) ----
        Map<String, String> firstTokens = new HashMap<>();
        Map<String, String> firstAccessTokens = new HashMap<>();
        winners.forEach(w -> {
            firstTokens.put(w.shopper().userId, w.shopper().queueToken());
            firstAccessTokens.put(w.shopper().userId, w.shopper().accessToken());
        });
        awaitUsedUp(winners);
        // PaymentCompleted reaches queue-service and concert-service independently: wait for the reservation too
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (Attempt w : winners) {
                assertThat(w.shopper().reservation(w.reservationId()).text("status")).as("reservation of %s", w.shopper())
                        .isEqualTo("PAID");
            }
        });
        for (Attempt w : winners) {
            Reply reservation = w.shopper().reservation(w.reservationId());
            assertThat(reservation.status()).as("%s", reservation).isEqualTo(200);
            assertThat(reservation.text("status")).as("reservation of %s", w.shopper()).isEqualTo("PAID");
            assertThat(reservation.number("seatNumber")).isEqualTo(w.seat());
            Reply balance = w.shopper().balance();
            assertThat(balance.status()).as("%s", balance).isEqualTo(200);
            assertThat(balance.number("balance")).isEqualTo(w.shopper().charged() - sale.price(w.seat()));
        }
        // the operator's view of the schedule agrees: every contested seat sold, the rest on sale
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            assertThat(operator.seatsIn(sale.scheduleId(), "DONE")).isEqualTo(CONTESTED_SEATS);
            assertThat(operator.seatsIn(sale.scheduleId(), "AVAILABLE")).isEqualTo(SEATS - CONTESTED_SEATS);
            assertThat(operator.seatsIn(sale.scheduleId(), "HELD")).isZero();
        });

        // ---- the topics, read from the beginning by an outside consumer ----
        Set<Long> paidReservations = winners.stream().map(Attempt::reservationId).collect(Collectors.toSet());
        Set<String> allUsers = attempts.stream().map(a -> a.shopper().userId).collect(Collectors.toSet());
        List<Event> events = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(
                () -> EventLog.readAll(platform.bootstrapServers(), EventLog.ALL),
                e -> EventLog.ofType(e, "PaymentCompleted", ev -> ev.longField("concertId") == sale.concertId()).size() >= CONTESTED_SEATS
                        && EventLog.ofType(e, "TokenActivated", ev -> ev.longField("concertId") == sale.concertId()).size()
                        >= tokensOf(attempts, firstTokens).size());
        assertOneFactPerBusinessKey(events, sale, winners, paidReservations, allUsers, tokensOf(attempts, firstTokens));
        assertAdmissionInBatches(events, sale, arrivalByUser);

        CheckReport report = platform.checkInvariants("the main purchase scenario");
        assertThat(report.violated()).as(report.format()).isEmpty();
        main = new MainRun(sale, winners, losers, firstTokens, firstAccessTokens);
    }

    /** What the second test looks at. */
    record MainRun(Sale sale, List<Attempt> winners, List<Attempt> losers, Map<String, String> firstTokens,
                   Map<String, String> firstAccessTokens) {
    }

    private static MainRun main;

    /**
     * After paying, the buyer's queue token is EXPIRED (reason PAYMENT_COMPLETED), TokenExpired is
     * published once per used-up token and for nobody else, and the gateway refuses the used-up
     * admission token on a sale route (401 revoked-token), even with the buyer's own identity token.
     */
    @Test
    @Order(2)
    void everyBuyersQueueTokenExpiresOnPaymentAndTheGatewayRefusesTheUsedUpAccessToken() {
        assertThat(main).as("the main scenario ran").isNotNull();
        Platform platform = PlatformExtension.platform();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (Attempt w : main.winners()) {
                String user = w.shopper().userId;
                Reply poll = w.shopper().poll(main.firstTokens().get(user));
                assertThat(poll.text("status")).as("first queue token of %s: %s", w.shopper(), poll).isEqualTo("EXPIRED");
                assertThat(poll.text("reason")).isEqualTo("PAYMENT_COMPLETED");
                assertThat(poll.text("accessToken")).isNull();
                Reply refused = platform.gatewayApi().get("/api/v1/schedules/" + main.sale().scheduleId() + "/seats",
                        Api.as(w.shopper().identityToken(), main.firstAccessTokens().get(user)));
                assertThat(refused.status()).as("used-up access token of %s: %s", w.shopper(), refused).isEqualTo(401);
                assertThat(refused.text("reason")).isEqualTo("revoked-token");
            }
        });
        List<Event> expired = EventLog.ofType(EventLog.readAll(platform.bootstrapServers(), List.of(EventLog.TOKEN_EVENTS)),
                "TokenExpired", e -> e.longField("concertId") == main.sale().concertId());
        Map<String, Set<String>> expiredFacts = EventLog.factsBy(expired, e -> e.textField("tokenId"));
        assertThat(expiredFacts.keySet()).as("TokenExpired tokens: exactly the winners' first tokens")
                .containsExactlyInAnyOrderElementsOf(main.firstTokens().values());
        expiredFacts.forEach((k, ids) -> assertThat(ids).as("TokenExpired facts for token %s", k).hasSize(1));
        expired.forEach(e -> assertThat(e.textField("reason")).isEqualTo("PAYMENT_COMPLETED"));
    }

    /** Waits until each buyer's queue token shows EXPIRED (so coming back gives a new place). */
    static void awaitUsedUp(List<Attempt> buyers) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (Attempt w : buyers) {
                assertThat(w.shopper().poll().text("status")).as("queue token of %s", w.shopper()).isEqualTo("EXPIRED");
            }
        });
    }

    /** Every queue token the users held: one each (nobody needs to queue again to see what they bought). */
    private static Set<String> tokensOf(List<Attempt> attempts, Map<String, String> firstTokens) {
        Set<String> tokens = attempts.stream().map(a -> a.shopper().queueToken()).collect(Collectors.toSet());
        tokens.addAll(firstTokens.values());
        assertThat(tokens).as("one queue token per user").hasSize(attempts.size());
        return tokens;
    }

    private static void assertOneFactPerBusinessKey(List<Event> events, Sale sale, List<Attempt> winners, Set<Long> paidReservations,
                                                    Set<String> allUsers, Set<String> allTokens) {
        long concert = sale.concertId();
        List<Event> seatHeld = EventLog.ofType(events, "SeatHeld", e -> e.longField("concertId") == concert);
        Map<String, Set<String>> heldFacts = EventLog.factsBy(seatHeld, e -> e.textField("reservationId"));
        assertThat(heldFacts.keySet()).as("SeatHeld reservations").containsExactlyInAnyOrderElementsOf(
                paidReservations.stream().map(String::valueOf).toList());
        heldFacts.forEach((k, ids) -> assertThat(ids).as("SeatHeld facts for reservation %s", k).hasSize(1));
        for (Attempt w : winners) {
            Event held = seatHeld.stream().filter(e -> e.longField("reservationId") == w.reservationId()).findFirst().orElseThrow();
            assertThat(held.key()).isEqualTo(String.valueOf(w.reservationId()));
            assertThat(held.textField("userId")).isEqualTo(w.shopper().userId);
            assertThat(held.longField("price")).isEqualTo(sale.price(w.seat()));
            assertThat(held.longField("seatNumber")).isEqualTo(w.seat());
        }

        List<Event> paid = EventLog.ofType(events, "PaymentCompleted", e -> e.longField("concertId") == concert);
        Map<String, Set<String>> paidFacts = EventLog.factsBy(paid, e -> e.textField("reservationId"));
        assertThat(paidFacts.keySet()).as("PaymentCompleted reservations").containsExactlyInAnyOrderElementsOf(
                paidReservations.stream().map(String::valueOf).toList());
        paidFacts.forEach((k, ids) -> assertThat(ids).as("PaymentCompleted facts for reservation %s", k).hasSize(1));
        for (Attempt w : winners) {
            Event p = paid.stream().filter(e -> e.longField("reservationId") == w.reservationId()).findFirst().orElseThrow();
            assertThat(p.longField("amount")).isEqualTo(sale.price(w.seat()));
            assertThat(p.textField("userId")).isEqualTo(w.shopper().userId);
            assertThat(p.textField("paymentId")).isEqualTo(w.pay().text("paymentId"));
            assertThat(p.textField("admissionTokenId")).as("the admission that paid").isEqualTo(w.shopper().queueToken());
        }

        assertThat(EventLog.ofType(events, "ReservationExpired", e -> e.longField("concertId") == concert)).isEmpty();
        assertThat(EventLog.ofType(events, "PaymentRefunded", e -> e.longField("concertId") == concert)).isEmpty();

        List<Event> activated = EventLog.ofType(events, "TokenActivated", e -> e.longField("concertId") == concert);
        Map<String, Set<String>> activatedFacts = EventLog.factsBy(activated, e -> e.textField("tokenId"));
        assertThat(activatedFacts.keySet()).as("TokenActivated: one per token the users held")
                .containsExactlyInAnyOrderElementsOf(allTokens);
        activatedFacts.forEach((k, ids) -> assertThat(ids).as("TokenActivated facts for token %s", k).hasSize(1));
        assertThat(activated.stream().map(e -> e.textField("userId")).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(allUsers);
    }

    /** Verification only (read-only): the arrival number queue-service gave each token of this concert. */
    private static Map<String, Long> arrivalNumbers(Platform platform, long concertId) {
        Map<String, Long> seq = new HashMap<>();
        platform.database("queue").rows("SELECT id, seq FROM queue_token WHERE concert_id = ?", concertId)
                .forEach(row -> seq.put(row.get(0).toString(), ((Number) row.get(1)).longValue()));
        return seq;
    }

    /**
     * One admission transaction stamps its whole batch with one activation time. So: no batch larger
     * than the batch size, and batches follow the line (everyone in a batch arrived before everyone
     * in the next one).
     */
    private static void assertAdmissionInBatches(List<Event> events, Sale sale, Map<String, Long> positions) {
        Map<String, List<Long>> batches = new TreeMap<>();
        for (Event e : EventLog.ofType(events, "TokenActivated", e -> e.longField("concertId") == sale.concertId())) {
            batches.computeIfAbsent(e.textField("activatedAt"), k -> new ArrayList<>()).add(positions.get(e.textField("userId")));
        }
        assertThat(batches.values().stream().mapToInt(List::size).sum()).isEqualTo(USERS);
        assertThat(batches.size()).as("admission batches").isGreaterThanOrEqualTo(USERS / Platform.ADMISSION_BATCH);
        long previousMax = 0;
        // ISO-8601 UTC instants of one format sort as text in time order; sort as instants to be safe
        List<Map.Entry<String, List<Long>>> ordered = batches.entrySet().stream()
                .sorted(Map.Entry.comparingByKey((a, b) -> java.time.Instant.parse(a).compareTo(java.time.Instant.parse(b))))
                .toList();
        for (Map.Entry<String, List<Long>> batch : ordered) {
            assertThat(batch.getValue()).as("batch activated at %s", batch.getKey()).hasSizeLessThanOrEqualTo(Platform.ADMISSION_BATCH);
            long min = batch.getValue().stream().mapToLong(Long::longValue).min().orElseThrow();
            long max = batch.getValue().stream().mapToLong(Long::longValue).max().orElseThrow();
            assertThat(min).as("batch at %s admits only people behind the previous batch", batch.getKey()).isGreaterThan(previousMax);
            previousMax = max;
        }
    }
}
