package io.concertticket.events.contract;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.concertticket.events.Event;
import io.concertticket.events.contract.CatalogueEvents.SaleAnnounced;
import io.concertticket.events.contract.PaymentEvents.PaymentCompleted;
import io.concertticket.events.contract.PaymentEvents.PaymentRefunded;
import io.concertticket.events.contract.PaymentEvents.PaymentWindowClosed;
import io.concertticket.events.contract.ReservationEvents.ReservationExpired;
import io.concertticket.events.contract.ReservationEvents.SeatHeld;
import io.concertticket.events.contract.SaleControlEvents.Controls;
import io.concertticket.events.contract.SaleControlEvents.SaleControlChanged;
import io.concertticket.events.contract.TokenEvents.TokenActivated;
import io.concertticket.events.contract.TokenEvents.TokenExpired;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract's records on the wire: {@code data} is exactly what the producers' own records wrote before
 * (field names and order, nothing of {@link Event}'s methods), and each record knows its topic, key, subject,
 * type and version as docs/contracts.md and asyncapi.yaml say.
 */
class ContractRecordsTest {

    /** Like the services' mapper (Quarkus' defaults): ISO-8601 instants. */
    private final ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final Instant t = Instant.parse("2026-11-29T10:00:00Z");
    private final Instant u = Instant.parse("2026-11-29T10:10:00Z");
    private final UUID id = UUID.fromString("2c1f4b7e-8d3a-4e5b-9f60-7a8b9c0d1e2f");
    private final UUID token = UUID.fromString("7a8b9c0d-1e2f-4e5b-9f60-2c1f4b7e8d3a");

    @Test
    void reservationEvents() throws Exception {
        SeatHeld held = new SeatHeld(42L, "u1", 7L, 8L, 9L, 10, 5000L, t, u);
        assertThat(mapper.writeValueAsString(held)).isEqualTo("{\"reservationId\":42,\"userId\":\"u1\",\"concertId\":7,"
                + "\"scheduleId\":8,\"seatId\":9,\"seatNumber\":10,\"price\":5000,\"heldAt\":\"2026-11-29T10:00:00Z\","
                + "\"expiresAt\":\"2026-11-29T10:10:00Z\"}");
        assertTravels(held, "concert.reservation-events", "42", "reservation/42", "SeatHeld");
        ReservationExpired expired = new ReservationExpired(42L, "u1", 7L, 8L, 9L, 10, u);
        assertThat(mapper.writeValueAsString(expired)).isEqualTo("{\"reservationId\":42,\"userId\":\"u1\",\"concertId\":7,"
                + "\"scheduleId\":8,\"seatId\":9,\"seatNumber\":10,\"expiredAt\":\"2026-11-29T10:10:00Z\"}");
        assertTravels(expired, "concert.reservation-events", "42", "reservation/42", "ReservationExpired");
    }

    @Test
    void paymentEvents() throws Exception {
        PaymentCompleted paid = new PaymentCompleted(id, 42L, "u1", 7L, token, 5000L, t);
        assertThat(mapper.writeValueAsString(paid)).isEqualTo("{\"paymentId\":\"" + id + "\",\"reservationId\":42,\"userId\":\"u1\","
                + "\"concertId\":7,\"admissionTokenId\":\"" + token + "\",\"amount\":5000,\"paidAt\":\"2026-11-29T10:00:00Z\"}");
        assertTravels(paid, "payment.payment-events", "42", "reservation/42", "PaymentCompleted");
        PaymentRefunded refunded = new PaymentRefunded(id, 42L, "u1", 7L, 5000L, u);
        assertThat(mapper.writeValueAsString(refunded)).isEqualTo("{\"paymentId\":\"" + id + "\",\"reservationId\":42,\"userId\":\"u1\","
                + "\"concertId\":7,\"amount\":5000,\"refundedAt\":\"2026-11-29T10:10:00Z\"}");
        assertTravels(refunded, "payment.payment-events", "42", "reservation/42", "PaymentRefunded");
        PaymentWindowClosed closed = new PaymentWindowClosed(42L, "u1", 7L, 8L, 9L, 10, t, u);
        assertThat(mapper.writeValueAsString(closed)).isEqualTo("{\"reservationId\":42,\"userId\":\"u1\",\"concertId\":7,"
                + "\"scheduleId\":8,\"seatId\":9,\"seatNumber\":10,\"expiresAt\":\"2026-11-29T10:00:00Z\",\"closedAt\":\"2026-11-29T10:10:00Z\"}");
        assertTravels(closed, "payment.payment-events", "42", "reservation/42", "PaymentWindowClosed");
    }

    @Test
    void catalogueAndTokenEvents() throws Exception {
        SaleAnnounced sale = new SaleAnnounced(7L, "Live", t, null, true, 1800L, 3L, u);
        assertThat(mapper.writeValueAsString(sale)).isEqualTo("{\"concertId\":7,\"title\":\"Live\",\"opensAt\":\"2026-11-29T10:00:00Z\","
                + "\"closesAt\":null,\"preQueueEnabled\":true,\"preQueueLeadSeconds\":1800,\"revision\":3,\"announcedAt\":\"2026-11-29T10:10:00Z\"}");
        assertTravels(sale, "concert.catalogue-events", "7", "concert/7", "SaleAnnounced");
        TokenActivated activated = new TokenActivated(token, "u1", 7L, t, u);
        assertThat(mapper.writeValueAsString(activated)).isEqualTo("{\"tokenId\":\"" + token + "\",\"userId\":\"u1\",\"concertId\":7,"
                + "\"activatedAt\":\"2026-11-29T10:00:00Z\",\"expiresAt\":\"2026-11-29T10:10:00Z\"}");
        assertTravels(activated, "queue.token-events", "u1", "queue-token/" + token, "TokenActivated");
        TokenExpired expired = new TokenExpired(token, "u1", 7L, "PAYMENT_COMPLETED", u);
        assertThat(mapper.writeValueAsString(expired)).isEqualTo("{\"tokenId\":\"" + token + "\",\"userId\":\"u1\",\"concertId\":7,"
                + "\"reason\":\"PAYMENT_COMPLETED\",\"expiredAt\":\"2026-11-29T10:10:00Z\"}");
        assertTravels(expired, "queue.token-events", "u1", "queue-token/" + token, "TokenExpired");
    }

    @Test
    void saleControlEvents() throws Exception {
        SaleControlChanged paced = new SaleControlChanged(3L, 7L, "change-pace", "op-1", t,
                new Controls("PAUSED", 20, 1.0, 0, false), new Controls("RUNNING", 50, 2.0, 500, false), 0);
        // what queue-service's own record wrote (admission an enum, the rest primitives)
        assertThat(mapper.writeValueAsString(paced)).isEqualTo("{\"changeId\":3,\"concertId\":7,\"action\":\"change-pace\","
                + "\"operator\":\"op-1\",\"changedAt\":\"2026-11-29T10:00:00Z\","
                + "\"before\":{\"admission\":\"PAUSED\",\"batchSize\":20,\"tickSeconds\":1.0,\"maxActive\":0,\"closed\":false},"
                + "\"after\":{\"admission\":\"RUNNING\",\"batchSize\":50,\"tickSeconds\":2.0,\"maxActive\":500,\"closed\":false},"
                + "\"endedSessions\":0}");
        assertTravels(paced, "queue.sale-control-events", "7", "sale/7", "SaleControlChanged");
    }

    private static void assertTravels(Event e, String topic, String key, String subject, String type) {
        assertThat(e.topic()).isEqualTo(topic);
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.subject()).isEqualTo(subject);
        assertThat(e.type()).isEqualTo(type);
        assertThat(e.dataVersion()).isEqualTo(1);
    }
}
