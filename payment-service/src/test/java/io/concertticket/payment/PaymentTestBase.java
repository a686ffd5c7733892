package io.concertticket.payment;

import com.fasterxml.jackson.databind.JsonNode;
import io.concertticket.checker.InvariantResult;
import io.concertticket.checker.PaymentInvariants;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;

import javax.sql.DataSource;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Shared set-up for payment tests; after each test, every wallet in the database must add up. */
abstract class PaymentTestBase {

    @TestHTTPResource("/")
    URL base;
    @Inject
    DataSource ds;

    String base() {
        return base.toString();
    }

    /** A user with {@code points}, and a reservation of theirs known to payment-service. */
    long heldReservation(String user, long price, Instant expiresAt) {
        long reservationId = TestSupport.newReservationId();
        TestSupport.seatHeld(reservationId, user, price, expiresAt);
        awaitKnown(reservationId);
        return reservationId;
    }

    void awaitKnown(long reservationId) {
        await().atMost(Duration.ofSeconds(60)).until(() ->
                TestSupport.queryLong(ds, "SELECT count(*) FROM payable_reservation WHERE reservation_id = ?", reservationId) == 1);
    }

    void charge(String user, long points) {
        assertThat(TestSupport.charge(base(), user, points, null).status()).isEqualTo(200);
    }

    String payableStatus(long reservationId) {
        return TestSupport.queryString(ds, "SELECT status FROM payable_reservation WHERE reservation_id = ?", reservationId);
    }

    long count(String sql, Object... params) {
        return TestSupport.queryLong(ds, sql, params);
    }

    /** The events of {@code type} for this reservation published to payment.payment-events, once the relay caught up. */
    List<JsonNode> publishedEvents(String type, long reservationId) {
        await().atMost(Duration.ofSeconds(60)).until(() -> count(
                "SELECT count(*) FROM outbox_event WHERE message_key = ?", Long.toString(reservationId)) == 0);
        return TestSupport.readAll("payment.payment-events").stream()
                .filter(r -> Long.toString(reservationId).equals(r.key()))
                .map(ConsumerRecord::value)
                .map(v -> {
                    try {
                        return TestSupport.JSON.readTree(v);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                })
                .filter(e -> type.equals(e.get("type").asText()))
                .toList();
    }

    /** The invariant checker's own checks of this database (points conserved, charged once, decided once). */
    @AfterEach
    void everyWalletStillAddsUp() throws Exception {
        List<InvariantResult> violated = new PaymentInvariants(5).check(ds).stream().filter(r -> !r.holds()).toList();
        assertThat(violated).as("payment-service's invariants").isEmpty();
    }
}
