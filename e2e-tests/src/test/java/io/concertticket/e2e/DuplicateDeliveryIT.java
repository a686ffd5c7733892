package io.concertticket.e2e;

import io.concertticket.checker.CheckReport;
import io.concertticket.e2e.harness.Api;
import io.concertticket.e2e.harness.Api.Reply;
import io.concertticket.e2e.harness.Crowd;
import io.concertticket.e2e.harness.EventLog;
import io.concertticket.e2e.harness.EventLog.Event;
import io.concertticket.e2e.harness.Operator.Sale;
import io.concertticket.e2e.harness.Platform;
import io.concertticket.e2e.harness.PlatformExtension;
import io.concertticket.e2e.harness.Shopper;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * At-least-once delivery taken to the extreme: every event the platform has published so far is
 * captured from the topics and produced again with a plain KafkaProducer, each one up to three
 * times, shuffled, and for one purchase in reverse order (its TokenExpired before its
 * TokenActivated, PaymentCompleted before SeatHeld). Consumers must recognise what they have
 * already applied: the business state does not move, a used-up access token stays refused, and the
 * invariants hold. Runs after the scenarios that share the platform, so the burst carries their events too.
 */
@ExtendWith(PlatformExtension.class)
@Isolated("compares the whole business state before and after its burst")
@Order(5)
class DuplicateDeliveryIT {

    @Test
    void aBurstOfDuplicatedAndReorderedEventsChangesNothing() throws Exception {
        Platform platform = PlatformExtension.platform();
        Sale sale = platform.operator().openSale("Duplicate deliveries", 2, 6_000);
        Api api = new Api(platform.gatewayUrl());
        Shopper buyer = Crowd.admittedAndCharged(platform, api, sale.concertId(), "dup-" + UUID.randomUUID().toString().substring(0, 8), 1,
                i -> 10_000).get(0);
        Reply hold = buyer.hold(sale.scheduleId(), 1);
        assertThat(hold.status()).as("%s", hold).isEqualTo(201);
        long reservationId = hold.number("reservationId");
        assertThat(buyer.pay(reservationId).status()).isEqualTo(200);
        String usedUpAccessToken = buyer.accessToken();
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                assertThat(buyer.seats(sale.scheduleId()).status()).as("the used-up token is refused").isEqualTo(401));

        // let everything settle, then take the business state as it stands
        CheckReport before = platform.checkInvariants("the purchase before the duplicate burst");
        assertThat(before.violated()).as(before.format()).isEmpty();
        EventLog.awaitConsumersCaughtUp(platform.bootstrapServers(), EventLog.ALL, Duration.ofMinutes(2));
        Set<String> liveHoldsBefore = Set.copyOf(rows(platform, "concert", "SELECT id FROM reservation WHERE status = 'BOOKED'"));
        Map<String, List<String>> stateBefore = businessState(platform);
        String seatsPath = "/api/v1/schedules/" + sale.scheduleId() + "/seats";
        int tokenAnswerBefore = api.get(seatsPath, Api.as(buyer.identityToken(), usedUpAccessToken)).status();

        // the burst
        List<Event> captured = EventLog.readAll(platform.bootstrapServers(), EventLog.ALL);
        Random random = new Random(42);
        List<Event> burst = new ArrayList<>();
        for (Event e : captured) {
            int copies = 1 + random.nextInt(3);
            for (int i = 0; i < copies; i++) {
                burst.add(e);
            }
        }
        Collections.shuffle(burst, random);
        List<Event> reversedPurchase = captured.stream()
                .filter(e -> String.valueOf(reservationId).equals(e.key()) || buyer.userId.equals(e.key()))
                .collect(Collectors.toCollection(ArrayList::new));
        assertThat(reversedPurchase).extracting(Event::type).contains("TokenActivated", "SeatHeld", "PaymentCompleted");
        assertThat(reversedPurchase).extracting(Event::type).contains("TokenExpired");
        Collections.reverse(reversedPurchase);
        burst.addAll(reversedPurchase);
        long t0 = System.nanoTime();
        EventLog.republish(platform.bootstrapServers(), burst);
        Set<String> readers = EventLog.awaitConsumersCaughtUp(platform.bootstrapServers(), EventLog.ALL, Duration.ofMinutes(3));
        System.out.printf("e2e: %d captured events re-delivered as %d records; consumers %s caught up in %d s%n",
                captured.size(), burst.size(), readers, Duration.ofNanos(System.nanoTime() - t0).toSeconds());
        assertThat(readers).as("consumer groups reading the topics").hasSizeGreaterThanOrEqualTo(3);

        // nothing moved
        CheckReport after = platform.checkInvariants("the duplicate and out-of-order burst");
        assertThat(after.violated()).as(after.format()).isEmpty();
        Map<String, List<String>> stateAfter = businessState(platform);
        // A hold still live before the burst may reach its deadline meanwhile (an earlier scenario's): time's doing,
        // not the burst's. Such a hold may be CANCELED now, but never before its deadline.
        Set<String> expiredMeanwhile = rows(platform, "concert",
                "SELECT id FROM reservation WHERE status = 'CANCELED' AND canceled_at >= expires_at").stream()
                .filter(liveHoldsBefore::contains).collect(Collectors.toSet());
        for (Map<String, List<String>> state : List.of(stateBefore, stateAfter)) {
            state.put("settled reservations", state.get("settled reservations").stream()
                    .filter(row -> !expiredMeanwhile.contains(row.substring(0, row.indexOf('|')))).toList());
        }
        stateBefore.forEach((what, rows) -> assertThat(stateAfter.get(what)).as(what).containsExactlyElementsOf(rows));
        System.out.printf("e2e: holds of earlier scenarios that reached their deadline during the burst: %s%n", expiredMeanwhile);
        Reply sameAnswer = api.get(seatsPath, Api.as(buyer.identityToken(), usedUpAccessToken));
        assertThat(sameAnswer.status()).as("the paid-with access token after its TokenActivated was replayed after its TokenExpired: %s",
                sameAnswer).isEqualTo(tokenAnswerBefore);
        assertThat(sameAnswer.status()).isEqualTo(401);
        assertThat(sameAnswer.text("reason")).isEqualTo("revoked-token");
        // what the buyer bought is still theirs to see, with the identity token alone
        Reply paid = buyer.reservation(reservationId);
        assertThat(paid.status()).as("%s", paid).isEqualTo(200);
        assertThat(paid.text("status")).isEqualTo("PAID");
    }

    /**
     * The settled business facts, read (read-only) from the databases: things a duplicate could
     * wrongly change, and nothing that moves on its own with time (BOOKED holds, ACTIVE tokens).
     */
    private static Map<String, List<String>> businessState(Platform platform) throws Exception {
        Map<String, List<String>> state = new LinkedHashMap<>();
        state.put("settled reservations", rows(platform, "concert",
                "SELECT id, status, seat_id, user_id FROM reservation WHERE status <> 'BOOKED' ORDER BY id"));
        state.put("sold seats", rows(platform, "concert", "SELECT id, user_id FROM seat WHERE status = 'DONE' ORDER BY id"));
        state.put("wallets", rows(platform, "payment", "SELECT user_id, balance FROM wallet ORDER BY user_id"));
        state.put("payments", rows(platform, "payment", "SELECT reservation_id, status, amount FROM payment ORDER BY reservation_id"));
        state.put("point history", rows(platform, "payment", "SELECT id, user_id, type, amount FROM point_history ORDER BY id"));
        state.put("tokens expired by a payment", rows(platform, "queue",
                "SELECT id, user_id FROM queue_token WHERE expiry_reason = 'PAYMENT_COMPLETED' ORDER BY id"));
        return state;
    }

    /** Each row as its columns' values joined by '|'. */
    private static List<String> rows(Platform platform, String db, String sql) {
        return platform.database(db).rows(sql).stream()
                .map(row -> row.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining("|"))).toList();
    }
}
