package io.concertticket.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.concertticket.checker.CheckReport;
import io.concertticket.e2e.harness.Api;
import io.concertticket.e2e.harness.Api.Reply;
import io.concertticket.e2e.harness.Crowd;
import io.concertticket.e2e.harness.Operator;
import io.concertticket.e2e.harness.Operator.Sale;
import io.concertticket.e2e.harness.Platform;
import io.concertticket.e2e.harness.PlatformExtension;
import io.concertticket.e2e.harness.Shopper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real replicas (issue 16): two JVMs each of queue-, concert- and payment-service and two gateways, each gateway
 * given both replicas of every service as a list of URLs. A purchase wave through both gateways (each seat wanted
 * by one buyer of each) while one replica of each service and one gateway are SIGKILLed: the buyers of the dead
 * gateway move to the other one, and everyone retries as careful clients do. Nothing sold twice, nothing paid
 * without the buyer being told so (or losing the answer), balances right, invariants hold.
 */
@ExtendWith(PlatformExtension.class)
@Order(7)
class ReplicasIT {

    private static final int SEATS = 50;
    private static final long CHARGE = 10_000;

    private static Platform platform;

    /** One buyer's wave: what they went for and the answers they finally got (pay null without a hold). */
    record Purchase(Shopper shopper, int seat, Reply hold, Reply pay) {
    }

    @BeforeAll
    static void replicas() throws Exception {
        platform = PlatformExtension.platform();
        platform.ensureHoldDuration(Platform.NORMAL_HOLD);
        long t0 = System.nanoTime();
        platform.startReplicas();
        System.out.printf("e2e: second replicas of the three services and a second gateway up in %d s%n",
                Duration.ofNanos(System.nanoTime() - t0).toSeconds());
    }

    @AfterAll
    static void singleReplicas() throws Exception {
        platform.stopReplicas();
    }

    @Test
    void aPurchaseWaveSurvivesSigkilledReplicasOfEveryServiceAndAGateway() throws Exception {
        String first = platform.gatewayUrl();
        String second = platform.service(Platform.second(Platform.GATEWAY)).url();
        // each buyer starts on "their" gateway and moves to the other once it refuses connections
        Api viaFirst = new Api(List.of(first, second), Duration.ofSeconds(120));
        Api viaSecond = new Api(List.of(second, first), Duration.ofSeconds(120));
        Operator operator = platform.operator(new Api(List.of(second, first), Duration.ofSeconds(120)));
        Sale sale = operator.openSale("Replicas under SIGKILL", SEATS, 3_000);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<Shopper> buyers = new ArrayList<>(platform.shoppers(viaFirst, "repa-" + run, SEATS, sale.concertId()));
        buyers.addAll(platform.shoppers(viaSecond, "repb-" + run, SEATS, sale.concertId()));

        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger held = new AtomicInteger();
        Map<String, Integer> killedAt = new java.util.concurrent.ConcurrentHashMap<>();
        CompletableFuture<Void> kills = Crowd.background(() -> {
            // queue-service while most buyers still poll for admission, the rest once holds are under way
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(20)).until(() -> admitted.get() >= 20);
            platform.service(Platform.second(Platform.QUEUE)).kill();
            killedAt.put(Platform.QUEUE, admitted.get());
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(20)).until(() -> held.get() >= 10);
            for (String name : List.of(Platform.second(Platform.CONCERT), Platform.second(Platform.PAYMENT), Platform.GATEWAY)) {
                platform.service(name).kill();
                killedAt.put(name, held.get());
            }
            return null;
        });
        long t0 = System.nanoTime();
        List<Purchase> purchases = Crowd.race(buyers, Duration.ofMinutes(5), s -> {
            int seat = seatOf(s);
            Reply registered = Shopper.retrying(Duration.ofMinutes(2), s::register);
            assertThat(registered.status()).as("registration of %s: %s", s, registered).isIn(200, 201);
            s.awaitAdmission(Duration.ofMinutes(3));
            admitted.incrementAndGet();
            s.charge(CHARGE);
            Reply hold = s.holdRetrying(sale.scheduleId(), seat, Duration.ofMinutes(3));
            if (hold.is(201)) {
                held.incrementAndGet();
            }
            Reply pay = hold.is(201) ? s.payRetrying(hold.number("reservationId"), Duration.ofMinutes(3)) : null;
            return new Purchase(s, seat, hold, pay);
        });
        kills.join();
        System.out.printf("e2e: replica wave of %d buyers over %d seats in %d s; killed (SIGKILL): queue-service-2 after %d admitted, "
                        + "concert-service-2, payment-service-2 and api-gateway after %d holds%n", buyers.size(), SEATS,
                Duration.ofNanos(System.nanoTime() - t0).toSeconds(), killedAt.get(Platform.QUEUE),
                killedAt.get(Platform.GATEWAY));

        // the answers: a hold is won (201) or lost to the other buyer of the seat (409); a payment is 200, or its
        // answer was lost and the retry found the admission used up by it (401 revoked-token)
        Map<Integer, List<Purchase>> winnersBySeat = new HashMap<>();
        for (Purchase p : purchases) {
            if (!p.hold().is(201)) {
                assertThat(p.hold().status()).as("hold of %s: %s", p.shopper(), p.hold()).isEqualTo(409);
                continue;
            }
            winnersBySeat.computeIfAbsent(p.seat(), k -> new ArrayList<>()).add(p);
            if (p.pay().is(401)) {
                assertThat(p.pay().text("reason")).as("payment of %s: %s", p.shopper(), p.pay()).isEqualTo("revoked-token");
            } else {
                assertThat(p.pay().status()).as("payment of %s: %s", p.shopper(), p.pay()).isEqualTo(200);
                assertThat(p.pay().number("amount")).isEqualTo(sale.price(p.seat()));
            }
        }
        assertThat(winnersBySeat).as("seats won").hasSize(SEATS);
        winnersBySeat.forEach((seat, won) -> assertThat(won).as("winners of seat %d", seat).hasSize(1));

        // every PAID reservation is a winner's, at most one per seat; losers have none; balances = charged - price
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (List<Purchase> won : winnersBySeat.values()) {
                Purchase p = won.get(0);
                Reply r = p.shopper().reservation(p.hold().number("reservationId"));
                assertThat(r.text("status")).as("reservation of %s: %s", p.shopper(), r).isEqualTo("PAID");
            }
        });
        Map<Integer, Integer> paidBySeat = new HashMap<>();
        for (Purchase p : purchases) {
            Reply mine = Shopper.retrying(Duration.ofMinutes(1), p.shopper()::myReservations);
            assertThat(mine.status()).as("reservations of %s: %s", p.shopper(), mine).isEqualTo(200);
            List<JsonNode> paid = new ArrayList<>();
            mine.body().path("items").forEach(item -> {
                if ("PAID".equals(item.path("status").asText())) {
                    paid.add(item);
                }
            });
            boolean winner = p.hold().is(201);
            assertThat(paid).as("PAID reservations of %s (%s)", p.shopper(), winner ? "won its seat" : "lost it").hasSize(winner ? 1 : 0);
            for (JsonNode item : paid) {
                assertThat(item.path("seatNumber").asInt()).as("seat of %s", p.shopper()).isEqualTo(p.seat());
                assertThat(item.path("reservationId").asLong()).isEqualTo(p.hold().number("reservationId"));
                paidBySeat.merge(item.path("seatNumber").asInt(), 1, Integer::sum);
            }
            Reply balance = Shopper.retrying(Duration.ofMinutes(1), p.shopper()::balance);
            assertThat(balance.number("balance")).as("balance of %s", p.shopper())
                    .isEqualTo(winner ? CHARGE - sale.price(p.seat()) : CHARGE);
        }
        assertThat(paidBySeat).as("PAID reservations per seat").hasSize(SEATS).allSatisfy((seat, n) -> assertThat(n).isEqualTo(1));
        Reply overview = Shopper.retrying(Duration.ofMinutes(1), () -> operator.schedule(sale.scheduleId()));
        assertThat(overview.body().path("seatsByStatus").path("DONE").asLong(0)).as("%s", overview).isEqualTo(SEATS);

        CheckReport report = platform.checkInvariants("the replica wave");
        assertThat(report.violated()).as(report.format()).isEmpty();
    }

    /** Accounts {@code repa-<run>-i} and {@code repb-<run>-i} both go for seat i. */
    private static int seatOf(Shopper s) {
        return Integer.parseInt(s.name.substring(s.name.lastIndexOf('-') + 1));
    }
}
