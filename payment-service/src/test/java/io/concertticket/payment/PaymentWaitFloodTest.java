package io.concertticket.payment;

import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.payment.application.PayableSignals;
import io.concertticket.testing.LongScenario;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Payments waiting for a late SeatHeld hold no worker thread and no connection: hundreds of them (a
 * client hammering unknown reservation ids, or a consumer outage) do not hold up a payment that can go.
 */
@QuarkusTest
@LongScenario
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "payment"))
class PaymentWaitFloodTest extends PaymentTestBase {

    private static final int FLOOD = 500;

    @Inject
    PayableSignals signals;
    @ConfigProperty(name = "payment.seat-held-wait")
    Duration seatHeldWait;

    @Test
    void fiveHundredPaymentsWaitingForUnknownReservationsDoNotHoldUpARealOne() throws Exception {
        String buyer = TestSupport.newUserId();
        charge(buyer, 10_000);
        long warmUp = heldReservation(buyer, 1_000, Instant.now().plusSeconds(600));
        long quiet = heldReservation(buyer, 1_000, Instant.now().plusSeconds(600));
        long duringFlood = heldReservation(buyer, 1_000, Instant.now().plusSeconds(600));
        String buyers = TestSupport.admittedToken(buyer);
        assertThat(TestSupport.payWith(base(), buyers, warmUp, null).status()).isEqualTo(200);

        long quietMillis = timedPayment(buyers, quiet);

        String flooder = TestSupport.newUserId();
        charge(flooder, 10_000);
        String flooders = TestSupport.admittedToken(flooder); // minted up front
        List<Long> unknown = new ArrayList<>();
        for (int i = 0; i < FLOOD; i++) {
            unknown.add(TestSupport.newReservationId());
        }
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<TestSupport.Reply>> flood = new ArrayList<>();
            for (long reservationId : unknown) {
                flood.add(clients.submit(() -> TestSupport.payWith(base(), flooders, reservationId, null)));
            }
            // on a bounded worker pool they could not all be waiting at once: the rest would queue for a thread
            await("all " + FLOOD + " payments waiting at once").atMost(Duration.ofSeconds(60))
                    .until(() -> signals.waitingCount() >= FLOOD);

            long floodMillis = timedPayment(buyers, duringFlood);
            int stillWaiting = signals.waitingCount();

            System.out.printf("a payment with %d payments waiting for unknown reservations: %d ms (%d without the flood); "
                    + "%d still waiting when it completed%n", FLOOD, floodMillis, quietMillis, stillWaiting);
            // generous: it must not have queued behind the waiters, which give up only after seat-held-wait
            assertThat(floodMillis).isLessThan(seatHeldWait.toMillis());

            for (Future<TestSupport.Reply> f : flood) {
                TestSupport.Reply r = f.get(2, TimeUnit.MINUTES);
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.headers()).containsKey("retry-after");
                assertThat(r.json().get("type").asText()).endsWith("reservation-not-yet-known");
            }
        }
        assertThat(TestSupport.balance(ds, buyer)).isEqualTo(7_000);
        assertThat(TestSupport.balance(ds, flooder)).isEqualTo(10_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> signals.waitingCount() == 0); // nothing left behind
    }

    private long timedPayment(String token, long reservationId) {
        long started = System.nanoTime();
        TestSupport.Reply reply = TestSupport.payWith(base(), token, reservationId, null);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(reply.status()).isEqualTo(200);
        return millis;
    }
}
