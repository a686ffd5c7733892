package io.concertticket.queue.application;

import com.fasterxml.jackson.databind.JsonNode;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.queue.KafkaTestSupport;
import io.concertticket.queue.domain.ExpiryReason;
import io.concertticket.queue.domain.IllegalTokenTransitionException;
import io.concertticket.queue.infrastructure.QueueReadModel;
import io.concertticket.testing.Sql;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.concertticket.queue.KafkaTestSupport.cloudEvent;
import static io.concertticket.queue.KafkaTestSupport.isTokenEvent;
import static io.concertticket.queue.KafkaTestSupport.parse;
import static io.concertticket.queue.KafkaTestSupport.paymentData;
import static io.concertticket.queue.KafkaTestSupport.paymentDataWithoutAdmission;
import static io.concertticket.queue.QueueTestSupport.freshConcertId;
import static io.concertticket.queue.QueueTestSupport.poll;
import static io.concertticket.queue.QueueTestSupport.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "queue"))
class PaymentCompletedExpiryTest {

    private static final String PAYMENTS = "payment.payment-events";
    private static final String TOKEN_EVENTS = "queue.token-events";

    @Inject
    AdmitNextBatch admission;
    @Inject
    QueueReadModel readModel;
    @Inject
    ExpireTimedOutTokens expireTimedOut;
    @Inject
    QueueTokens tokens;
    @Inject
    Sql sql;

    private String status(String token) {
        return (String) sql.value("SELECT status FROM queue_token WHERE id = ?", UUID.fromString(token));
    }

    @Test
    void paymentCompletedDeliveredTwiceExpiresTheActiveTokenOnce() throws Exception {
        long concert = freshConcertId();
        String payer = register(concert, "payer").statusCode(201).extract().path("token");
        String marker = register(concert, "marker").statusCode(201).extract().path("token");
        assertThat(admission.admit(concert, 1).activated()).hasSize(2);
        readModel.refresh();
        poll(payer, "payer").body("status", equalTo("ACTIVE"));

        long reservation = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L);
        String paid = cloudEvent(UUID.randomUUID(), "PaymentCompleted", 1, paymentData("payer", concert, reservation, payer));
        // redelivered, then a later event on the same key (same partition) that tells us both were consumed
        KafkaTestSupport.send(PAYMENTS, Long.toString(reservation), paid, paid,
                cloudEvent(UUID.randomUUID(), "PaymentCompleted", 1, paymentData("marker", concert, reservation, marker)));

        await().atMost(Duration.ofSeconds(90)).until(() -> "EXPIRED".equals(status(marker)));
        assertThat(status(payer)).isEqualTo("EXPIRED");
        assertThat(sql.value("SELECT expiry_reason FROM queue_token WHERE id = ?", UUID.fromString(payer))).isEqualTo("PAYMENT_COMPLETED");
        assertThat(sql.queryLong("SELECT count(*) FROM processed_event WHERE consumer = 'queue-service' AND event_id = ?",
                UUID.fromString(parse(paid).path("id").asText()))).isEqualTo(1);

        // the outbox relays in commit order: once the marker's TokenExpired is out, the payer's (single) one is too
        List<ConsumerRecord<String, String>> events = KafkaTestSupport.readUntil(TOKEN_EVENTS,
                r -> isTokenEvent(r, "TokenExpired", marker), Duration.ofSeconds(90));
        List<ConsumerRecord<String, String>> payerExpired = events.stream().filter(r -> isTokenEvent(r, "TokenExpired", payer)).toList();
        assertThat(payerExpired).hasSize(1);
        ConsumerRecord<String, String> e = payerExpired.get(0);
        assertThat(e.key()).isEqualTo("payer");
        assertThat(new String(e.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8)).isEqualTo("application/cloudevents+json");
        JsonNode envelope = parse(e.value());
        assertThat(envelope.path("source").asText()).isEqualTo("/queue-service");
        assertThat(envelope.path("dataversion").asInt()).isEqualTo(1);
        assertThat(envelope.path("data").path("reason").asText()).isEqualTo("PAYMENT_COMPLETED");
        assertThat(envelope.path("data").path("userId").asText()).isEqualTo("payer");
        assertThat(envelope.path("data").path("concertId").asLong()).isEqualTo(concert);
        assertThat(events.stream().filter(r -> isTokenEvent(r, "TokenActivated", payer))).hasSize(1);

        // every replica's view follows through the change feed
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                poll(payer, "payer").statusCode(200).body("status", equalTo("EXPIRED")).body("reason", equalTo("PAYMENT_COMPLETED")));
    }

    @Test
    void refundsAndClosedPaymentWindowsAreSkippedAndUnknownEventsAreDeadLettered() throws Exception {
        long concert = freshConcertId();
        String refunded = register(concert, "refunded").statusCode(201).extract().path("token");
        String marker = register(concert, "marker2").statusCode(201).extract().path("token");
        admission.admit(concert, 1);

        long reservation = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L);
        String key = Long.toString(reservation);
        String unknownId = UUID.randomUUID().toString();
        String windowClosedId = UUID.randomUUID().toString();
        KafkaTestSupport.send(PAYMENTS, key,
                cloudEvent(UUID.randomUUID(), "PaymentRefunded", 1, paymentData("refunded", concert, reservation, refunded)),
                cloudEvent(UUID.fromString(windowClosedId), "PaymentWindowClosed", 1, paymentData("refunded", concert, reservation, refunded)),
                cloudEvent(UUID.fromString(unknownId), "PaymentTeleported", 1, paymentData("refunded", concert, reservation, refunded)),
                "{this is not json",
                cloudEvent(UUID.randomUUID(), "PaymentCompleted", 1, paymentData("marker2", concert, reservation, marker)));

        await().atMost(Duration.ofSeconds(90)).until(() -> "EXPIRED".equals(status(marker)));
        assertThat(status(refunded)).isEqualTo("ACTIVE");

        List<ConsumerRecord<String, String>> dead = KafkaTestSupport.readUntil("queue-service.dead-letter",
                r -> r.value().contains(unknownId), Duration.ofSeconds(60));
        ConsumerRecord<String, String> r = dead.stream().filter(x -> x.value().contains(unknownId)).findFirst().orElseThrow();
        assertThat(new String(r.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8)).contains("PaymentTeleported");
        // PaymentWindowClosed (same key, sent before) is known and skipped, never dead-lettered
        assertThat(dead).noneMatch(x -> x.value().contains(windowClosedId));
    }

    @Test
    void aLatePaymentCompletedForAnEarlierAdmissionDoesNotExpireTheAccountsNewerToken() throws Exception {
        long concert = freshConcertId();
        String account = "late-" + UUID.randomUUID();
        // A's first admission: paid with, but the event is held up; the token times out meanwhile
        String first = register(concert, account).statusCode(201).extract().path("token");
        assertThat(admission.admit(concert, 1).activated()).hasSize(1);
        update("UPDATE queue_token SET expires_at = now() - interval '1 second' WHERE id = ?", UUID.fromString(first));
        while (expireTimedOut.expireDue() > 0) {
            // drain whatever else is due in the shared database
        }
        assertThat(status(first)).isEqualTo("EXPIRED");
        // A queues again and is admitted again
        String newer = register(concert, account).statusCode(201).extract().path("token");
        assertThat(newer).isNotEqualTo(first);
        assertThat(admission.admit(concert, 2).activated()).hasSize(1);
        String markerUser = "late-marker-" + UUID.randomUUID();
        String marker = register(concert, markerUser).statusCode(201).extract().path("token");
        assertThat(admission.admit(concert, 3).activated()).hasSize(1);

        long reservation = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L);
        KafkaTestSupport.send(PAYMENTS, Long.toString(reservation),
                // the late event about the first admission, and its replay under another event id
                cloudEvent(UUID.randomUUID(), "PaymentCompleted", 1, paymentData(account, concert, reservation, first)),
                cloudEvent(UUID.randomUUID(), "PaymentCompleted", 1, paymentData(account, concert, reservation, first)),
                cloudEvent(UUID.randomUUID(), "PaymentCompleted", 1, paymentData(markerUser, concert, reservation, marker)));

        await().atMost(Duration.ofSeconds(90)).until(() -> "EXPIRED".equals(status(marker)));
        assertThat(status(newer)).isEqualTo("ACTIVE");
        assertThat(sql.value("SELECT expiry_reason FROM queue_token WHERE id = ?", UUID.fromString(first))).isEqualTo("TIMEOUT");
        readModel.refresh();
        poll(newer, account).statusCode(200).body("status", equalTo("ACTIVE")).body("accessToken", notNullValue());
    }

    @Test
    void aPaymentCompletedWithoutAdmissionTokenIdOrNamingAnotherUsersTokenExpiresNothingAndIsDeadLettered() throws Exception {
        long concert = freshConcertId();
        String alice = "pay-alice-" + UUID.randomUUID();
        String bob = "pay-bob-" + UUID.randomUUID();
        String aliceToken = register(concert, alice).statusCode(201).extract().path("token");
        String bobToken = register(concert, bob).statusCode(201).extract().path("token");
        String markerUser = "pay-marker-" + UUID.randomUUID();
        String marker = register(concert, markerUser).statusCode(201).extract().path("token");
        assertThat(admission.admit(concert, 1).activated()).hasSize(3);

        long reservation = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L);
        String withoutAdmission = UUID.randomUUID().toString();
        String bobsTokenForAlice = UUID.randomUUID().toString();
        KafkaTestSupport.send(PAYMENTS, Long.toString(reservation),
                // the old contract: which token paid is unknown, so none is expired
                cloudEvent(UUID.fromString(withoutAdmission), "PaymentCompleted", 1, paymentDataWithoutAdmission(alice, concert, reservation)),
                // Alice's payment naming Bob's token: neither token is expired
                cloudEvent(UUID.fromString(bobsTokenForAlice), "PaymentCompleted", 1, paymentData(alice, concert, reservation, bobToken)),
                cloudEvent(UUID.randomUUID(), "PaymentCompleted", 1, paymentData(markerUser, concert, reservation, marker)));

        await().atMost(Duration.ofSeconds(90)).until(() -> "EXPIRED".equals(status(marker)));
        assertThat(status(aliceToken)).isEqualTo("ACTIVE");
        assertThat(status(bobToken)).isEqualTo("ACTIVE");
        List<ConsumerRecord<String, String>> dead = KafkaTestSupport.readUntil("queue-service.dead-letter",
                r -> r.value().contains(bobsTokenForAlice), Duration.ofSeconds(60));
        assertThat(dead).anySatisfy(r -> {
            assertThat(r.value()).contains(withoutAdmission);
            assertThat(new String(r.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8)).contains("admissionTokenId");
        });
    }

    @Test
    void anActiveTokenIsNeverAbandonedOrClosedOutWithItsSale() {
        long concert = freshConcertId();
        String token = register(concert, "admitted-" + UUID.randomUUID()).statusCode(201).extract().path("token");
        assertThat(admission.admit(concert, 1).activated()).hasSize(1);

        // an admitted buyer keeps their session: neither the abandon sweep's nor the sale end's reason applies to them
        for (ExpiryReason waitingOnly : List.of(ExpiryReason.ABANDONED, ExpiryReason.SALE_CLOSED)) {
            assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() ->
                    tokens.lockedById(UUID.fromString(token)).orElseThrow().expire(waitingOnly, Instant.now())))
                    .as(waitingOnly.name())
                    .isInstanceOf(IllegalTokenTransitionException.class);
        }
        assertThat(status(token)).isEqualTo("ACTIVE");
        assertThat(sql.value("SELECT expiry_reason FROM queue_token WHERE id = ?", UUID.fromString(token))).isNull();
    }

    private void update(String statement, Object... params) {
        assertThat(sql.update(statement, params)).as(statement).isEqualTo(1);
    }
}
