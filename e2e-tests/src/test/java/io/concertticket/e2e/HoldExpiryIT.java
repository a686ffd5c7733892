package io.concertticket.e2e;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A hold left unpaid: after its (test-shortened) deadline the reservation is CANCELED, the seat is
 * on sale again and someone else can buy it, and ReservationExpired is on its topic. Runs after the
 * fault scenarios because it restarts concert-service with a short hold.
 */
@ExtendWith(PlatformExtension.class)
@Isolated("restarts concert-service with a short hold")
@Order(4)
class HoldExpiryIT {

    // short, yet long enough for the next buyer to pay on a loaded machine
    static final Duration SHORT_HOLD = Duration.ofSeconds(10);

    @Test
    void anUnpaidHoldIsCanceledAtItsDeadlineAndTheSeatGoesToTheNextBuyer() throws Exception {
        Platform platform = PlatformExtension.platform();
        platform.ensureHoldDuration(SHORT_HOLD);
        Sale sale = platform.operator().openSale("Expiry scenario", 3, 5_000);
        Api api = new Api(platform.gatewayUrl());
        String run = "expiry-" + UUID.randomUUID().toString().substring(0, 8);
        List<Shopper> shoppers = Crowd.admittedAndCharged(platform, api, sale.concertId(), run, 2, i -> 20_000);
        Shopper hesitant = shoppers.get(0);
        Shopper next = shoppers.get(1);

        // the hesitant buyer holds seats 1 and 2 and never pays
        Reply first = hesitant.hold(sale.scheduleId(), 1);
        Reply second = hesitant.hold(sale.scheduleId(), 2);
        assertThat(first.status()).as("%s", first).isEqualTo(201);
        assertThat(second.status()).as("%s", second).isEqualTo(201);
        Instant deadline = Instant.parse(first.text("expiresAt"));
        assertThat(deadline).isBetween(Instant.now().minus(SHORT_HOLD), Instant.now().plus(SHORT_HOLD).plusSeconds(5));
        long expiring = first.number("reservationId");
        long alsoExpiring = second.number("reservationId");

        // while held, nobody else gets the seat
        Reply refused = next.hold(sale.scheduleId(), 1);
        assertThat(refused.status()).as("%s", refused).isEqualTo(409);

        // after the deadline: CANCELED, and the seats are back on sale
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(hesitant.reservation(expiring).text("status")).isEqualTo("CANCELED");
            assertThat(hesitant.reservation(alsoExpiring).text("status")).isEqualTo("CANCELED");
        });
        assertThat(Instant.now()).isAfter(deadline);
        Map<Integer, Boolean> available = seatMap(next.seats(sale.scheduleId()));
        assertThat(available).containsEntry(1, true).containsEntry(2, true).containsEntry(3, true);

        // paying now is refused and takes nothing
        // (payment-service may learn of the reservation only now: 503 with Retry-After until its SeatHeld is in)
        Reply late = Shopper.retrying(Duration.ofSeconds(60), () -> hesitant.pay(expiring));
        assertThat(late.status()).as("payment after the deadline: %s", late).isEqualTo(409);
        assertThat(hesitant.balance().number("balance")).isEqualTo(hesitant.charged());

        // the next buyer takes seat 1 and pays
        Reply taken = next.hold(sale.scheduleId(), 1);
        assertThat(taken.status()).as("%s", taken).isEqualTo(201);
        Reply paid = next.pay(taken.number("reservationId"));
        assertThat(paid.status()).as("%s", paid).isEqualTo(200);
        assertThat(paid.number("balance")).isEqualTo(next.charged() - sale.price(1));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(seatMap(hesitant.seats(sale.scheduleId())))
                .containsEntry(1, false).containsEntry(2, true).containsEntry(3, true));

        // on the topics: one ReservationExpired per expired hold, none for the sale that went through
        List<Event> events = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(
                () -> EventLog.readAll(platform.bootstrapServers(), List.of(EventLog.RESERVATION_EVENTS, EventLog.PAYMENT_EVENTS)),
                e -> EventLog.ofType(e, "ReservationExpired", ev -> ev.longField("concertId") == sale.concertId()).size() >= 2
                        && !EventLog.ofType(e, "PaymentCompleted", ev -> ev.longField("concertId") == sale.concertId()).isEmpty());
        List<Event> expired = EventLog.ofType(events, "ReservationExpired", e -> e.longField("concertId") == sale.concertId());
        Map<String, Set<String>> facts = EventLog.factsBy(expired, e -> e.textField("reservationId"));
        assertThat(facts.keySet()).containsExactlyInAnyOrder(String.valueOf(expiring), String.valueOf(alsoExpiring));
        facts.forEach((k, ids) -> assertThat(ids).as("ReservationExpired facts for %s", k).hasSize(1));
        Event e = expired.stream().filter(ev -> ev.longField("reservationId") == expiring).findFirst().orElseThrow();
        assertThat(e.key()).isEqualTo(String.valueOf(expiring));
        assertThat(e.textField("userId")).isEqualTo(hesitant.userId);
        assertThat(e.longField("seatNumber")).isEqualTo(1);
        assertThat(EventLog.ofType(events, "PaymentRefunded", ev -> ev.longField("concertId") == sale.concertId())).isEmpty();

        CheckReport report = platform.checkInvariants("the hold expiry scenario");
        assertThat(report.violated()).as(report.format()).isEmpty();
    }

    private static Map<Integer, Boolean> seatMap(Reply seats) {
        assertThat(seats.status()).as("%s", seats).isEqualTo(200);
        Map<Integer, Boolean> available = new java.util.TreeMap<>();
        for (JsonNode seat : seats.body().path("seats")) {
            available.put(seat.path("seatNumber").asInt(), seat.path("available").asBoolean());
        }
        return available;
    }
}
