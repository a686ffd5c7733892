package io.concertticket.queue;

import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.queue.application.AdmitNextBatch;
import io.concertticket.queue.application.DropAbandonedTokens;
import io.concertticket.queue.application.ExpireTimedOutTokens;
import io.concertticket.testing.EventContract;
import io.concertticket.testing.KafkaTestConsumer;
import io.concertticket.testing.Sql;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static io.concertticket.queue.KafkaTestSupport.cloudEvent;
import static io.concertticket.queue.KafkaTestSupport.parse;
import static io.concertticket.queue.KafkaTestSupport.paymentData;
import static io.concertticket.queue.QueueTestSupport.freshConcertId;
import static io.concertticket.queue.QueueTestSupport.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every event queue-service really writes to Kafka conforms to asyncapi.yaml at the repository root,
 * so the published contract cannot drift from the code: tokens registered over HTTP, admitted and swept
 * by the same use cases the schedulers run, expired by a PaymentCompleted on the real topic, and the
 * output read back with a plain consumer. Every TokenExpired reason is produced once.
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "queue"))
class EventContractTest {

    private static final String TOPIC = "queue.token-events";

    @Inject
    AdmitNextBatch admission;
    @Inject
    ExpireTimedOutTokens expireTimedOut;
    @Inject
    DropAbandonedTokens dropAbandoned;
    @Inject
    Sql sql;

    @Test
    void everyTokenEventTheServiceWritesConformsToTheAsyncApiContract() throws Exception {
        EventContract contract = EventContract.load();
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        try (KafkaTestConsumer topic = KafkaTestConsumer.fromEnd(bootstrap, TOPIC)) {
            // user ids no other test uses: the topic is keyed by user id
            String payer = "contract-" + UUID.randomUUID();
            String timedOut = "contract-" + UUID.randomUUID();
            String walkedAway = "contract-" + UUID.randomUUID();

            long concert = freshConcertId();
            String payerToken = register(concert, payer).statusCode(201).extract().path("token");
            String timedOutToken = register(concert, timedOut).statusCode(201).extract().path("token");
            assertThat(admission.admit(concert, 1).activated()).hasSize(2); // TokenActivated twice

            // PAYMENT_COMPLETED: payment-service's event on the real topic
            long reservation = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L) + 1;
            KafkaTestSupport.send("payment.payment-events", Long.toString(reservation),
                    cloudEvent(UUID.randomUUID(), "PaymentCompleted", 1, paymentData(payer, concert, reservation, payerToken)));
            await().atMost(Duration.ofSeconds(90)).until(() -> "EXPIRED".equals(status(payerToken)));

            // TIMEOUT: its active period is over (moved into the past), and the expiry sweep runs
            update("UPDATE queue_token SET expires_at = now() - interval '1 second' WHERE id = ?", UUID.fromString(timedOutToken));
            while (expireTimedOut.expireDue() > 0) {
                // drain whatever else is due in the shared database
            }
            assertThat(status(timedOutToken)).isEqualTo("EXPIRED");

            // ABANDONED: a waiting token whose owner has not polled for longer than the abandon timeout
            long otherConcert = freshConcertId();
            String walkedAwayToken = register(otherConcert, walkedAway).statusCode(201).extract().path("token");
            update("UPDATE queue_token SET last_polled_at = now() - interval '1 day' WHERE id = ?", UUID.fromString(walkedAwayToken));
            assertThat(dropAbandoned.dropIn(otherConcert)).isEqualTo(1);

            Set<String> ours = Set.of(payer, timedOut, walkedAway);
            // waits a little longer, so that an unexpected extra event of ours is checked too
            List<ConsumerRecord<String, String>> produced = topic.awaitSettled(ours, 5, Duration.ofSeconds(60), Duration.ofSeconds(2));

            assertThat(contract.brokenRecords(produced)).as("records that break " + contract.file()).isEmpty();

            assertThat(EventContract.typesByKey(produced)).containsOnly(
                    Map.entry(payer, List.of("TokenActivated", "TokenExpired/PAYMENT_COMPLETED")),
                    Map.entry(timedOut, List.of("TokenActivated", "TokenExpired/TIMEOUT")),
                    Map.entry(walkedAway, List.of("TokenExpired/ABANDONED")));
            // the test covers every message the contract declares on this topic
            Set<String> types = new TreeSet<>();
            produced.forEach(r -> types.add(parse(r.value()).path("type").asText()));
            assertThat(types).isEqualTo(new TreeSet<>(contract.messageTypes(TOPIC)));
        }
    }

    private String status(String token) {
        return (String) sql.value("SELECT status FROM queue_token WHERE id = ?", UUID.fromString(token));
    }

    private void update(String statement, Object... params) {
        assertThat(sql.update(statement, params)).as(statement).isEqualTo(1);
    }
}
