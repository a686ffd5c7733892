package io.concertticket.payment;

import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.testing.EventContract;
import io.concertticket.testing.KafkaTestConsumer;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every event payment-service really writes to Kafka conforms to asyncapi.yaml at the repository root,
 * so the published contract cannot drift from the code: payments over the real HTTP API, a payment window
 * closed by a SeatHeld arriving past its deadline, a refund caused by a ReservationExpired on the real topic
 * (the legacy path, see ExpireReservation), and the output read back with a plain consumer.
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "payment"))
class EventContractTest extends PaymentTestBase {

    private static final String TOPIC = "payment.payment-events";
    private static final long PRICE = 2_000;

    @Test
    void everyPaymentEventTheServiceWritesConformsToTheAsyncApiContract() {
        EventContract contract = EventContract.load();
        try (KafkaTestConsumer topic = KafkaTestConsumer.fromEnd(TestSupport.bootstrapServers(), TOPIC)) {
            String user = TestSupport.newUserId();
            charge(user, 2 * PRICE);
            // one reservation announced after its deadline: closed at once (PaymentWindowClosed)
            long closed = heldReservation(user, PRICE, Instant.now().minusSeconds(1));
            // one payment that stays (PaymentCompleted), one whose reservation expires after it was paid
            // (PaymentCompleted, then PaymentRefunded)
            long kept = heldReservation(user, PRICE, Instant.now().plusSeconds(600));
            long refunded = heldReservation(user, PRICE, Instant.now().plusSeconds(600));
            assertThat(TestSupport.pay(base(), user, kept, null).status()).isEqualTo(200);
            assertThat(TestSupport.pay(base(), user, refunded, null).status()).isEqualTo(200);
            TestSupport.reservationExpired(refunded, user);
            Set<String> ours = Set.of(Long.toString(kept), Long.toString(refunded), Long.toString(closed));

            // waits a little longer, so that an unexpected extra event of ours is checked too
            List<ConsumerRecord<String, String>> produced = topic.awaitSettled(ours, 4, Duration.ofSeconds(60), Duration.ofSeconds(2));

            assertThat(contract.brokenRecords(produced)).as("records that break " + contract.file()).isEmpty();

            Map<String, List<String>> typesByKey = EventContract.typesByKey(produced);
            assertThat(typesByKey).containsOnly(
                    Map.entry(Long.toString(kept), List.of("PaymentCompleted")),
                    Map.entry(Long.toString(refunded), List.of("PaymentCompleted", "PaymentRefunded")),
                    Map.entry(Long.toString(closed), List.of("PaymentWindowClosed")));
            // the test covers every message the contract declares on this topic
            TreeSet<String> covered = new TreeSet<>(typesByKey.get(Long.toString(refunded)));
            covered.addAll(typesByKey.get(Long.toString(closed)));
            assertThat(covered).isEqualTo(new TreeSet<>(contract.messageTypes(TOPIC)));
        }
    }

}
