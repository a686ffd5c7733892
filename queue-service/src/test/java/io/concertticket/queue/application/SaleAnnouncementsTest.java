package io.concertticket.queue.application;

import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.testing.Sql;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.concertticket.queue.KafkaTestSupport.cloudEvent;
import static io.concertticket.queue.KafkaTestSupport.send;
import static io.concertticket.queue.QueueTestSupport.madeUpConcertId;
import static io.concertticket.queue.QueueTestSupport.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * concert-service's SaleAnnounced through real Kafka into the sale table: duplicates and older revisions
 * delivered late change nothing, whatever the order, and a sale is registrable once applied.
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "queue"))
class SaleAnnouncementsTest {

    static final String TOPIC = "concert.catalogue-events";

    @Inject

    Sql sql;

    private static String announcement(UUID id, long concertId, Instant opensAt, Instant closesAt, boolean preQueue, long lead, long revision) {
        Map<String, Object> data = new HashMap<>();
        data.put("concertId", concertId);
        data.put("title", "Announced " + revision);
        data.put("opensAt", opensAt.toString());
        data.put("closesAt", closesAt == null ? null : closesAt.toString());
        data.put("preQueueEnabled", preQueue);
        data.put("preQueueLeadSeconds", lead);
        data.put("revision", revision);
        data.put("announcedAt", Instant.now().toString());
        return cloudEvent(id, "SaleAnnounced", 1, data);
    }

    private boolean applied(UUID... ids) {
        return sql.queryLong("SELECT count(*) FROM processed_event WHERE consumer = 'queue-service' AND event_id = ANY(CAST(? AS uuid[]))",
                "{" + String.join(",", java.util.Arrays.stream(ids).map(UUID::toString).toList()) + "}") == ids.length;
    }

    @Test
    void duplicatesAndOlderRevisionsDeliveredLateChangeNothingAndTheNewestSaleIsRegistrable() {
        long concert = madeUpConcertId();
        Instant opened = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        Instant closes = opened.plus(1, ChronoUnit.DAYS);
        UUID newest = UUID.randomUUID();
        UUID older = UUID.randomUUID();
        UUID sameRevision = UUID.randomUUID();
        String key = Long.toString(concert);
        // revision 2, then revision 1 late, then revision 2 again (redelivered) and another event claiming revision 2
        send(TOPIC, key,
                announcement(newest, concert, opened, closes, false, 0, 2),
                announcement(older, concert, opened.plus(1, ChronoUnit.HOURS), null, true, 600, 1),
                announcement(newest, concert, opened, closes, false, 0, 2),
                announcement(sameRevision, concert, opened.plus(2, ChronoUnit.HOURS), null, true, 60, 2));
        await().atMost(Duration.ofSeconds(60)).until(() -> applied(newest, older, sameRevision));

        List<List<Object>> rows = sql.rows("SELECT revision, opens_at, closes_at, pre_queue_enabled, pre_queue_lead_seconds, title "
                + "FROM sale WHERE concert_id = ?", concert);
        assertThat(rows).hasSize(1);
        List<Object> sale = rows.get(0);
        assertThat(((Number) sale.get(0)).longValue()).isEqualTo(2);
        assertThat(instant(sale.get(1))).isEqualTo(opened);
        assertThat(instant(sale.get(2))).isEqualTo(closes);
        assertThat(sale.get(3)).isEqualTo(false);
        assertThat(((Number) sale.get(4)).longValue()).isZero();
        assertThat(sale.get(5)).isEqualTo("Announced 2");
        assertThat(sql.queryLong("SELECT count(*) FROM processed_event WHERE consumer = 'queue-service' AND event_id = CAST(? AS uuid)",
                newest.toString())).isEqualTo(1);

        // open since a minute: registrable now
        register(concert, "announced-1").statusCode(201);

        // a newer revision whose closing time has passed: registration is refused from then on
        UUID ended = UUID.randomUUID();
        send(TOPIC, key, announcement(ended, concert, opened, Instant.now().minusSeconds(1), false, 0, 3));
        await().atMost(Duration.ofSeconds(60)).until(() -> applied(ended));
        register(concert, "announced-2").statusCode(409)
                .body("type", org.hamcrest.Matchers.equalTo("https://concert-platform.example/problems/sale-closed"));
    }

    private static Instant instant(Object o) {
        return o instanceof OffsetDateTime odt ? odt.toInstant() : ((java.sql.Timestamp) o).toInstant();
    }
}
