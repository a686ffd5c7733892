package io.concertticket.concert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.testing.EventContract;
import io.concertticket.testing.KafkaTestConsumer;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static io.concertticket.concert.support.ConcertApi.ADMIN;
import static io.concertticket.concert.support.ConcertApi.asOperator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The operator's sale window and its announcement: every concert created or rescheduled through the operator
 * API is announced as SaleAnnounced on concert.catalogue-events (key concertId, the whole sale, the next
 * revision), conforming to asyncapi.yaml; a window an operator cannot mean is 400 and announces nothing.
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "concert"))
class CatalogueEventsTest {

    static final String TOPIC = "concert.catalogue-events";
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void createdAndRescheduledSalesAreAnnouncedWithTheirWholeWindowAndRisingRevisions() throws Exception {
        EventContract contract = EventContract.load();
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        try (KafkaTestConsumer topic = KafkaTestConsumer.fromEnd(bootstrap, TOPIC)) {
            Instant before = Instant.now().minusSeconds(1);
            // without sale fields: on sale from now on, no closing time, no pre-queue
            JsonPath plain = asOperator().body("{\"title\":\"Plain sale\",\"venue\":\"Hall\"}").post(ADMIN + "/concerts")
                    .then().statusCode(201)
                    .body("saleClosesAt", equalTo(null)).body("preQueueEnabled", equalTo(false)).body("preQueueLeadSeconds", equalTo(0))
                    .body("saleRevision", equalTo(1))
                    .extract().jsonPath();
            long plainId = plain.getLong("concertId");
            assertThat(Instant.parse(plain.getString("saleOpensAt"))).isBetween(before, Instant.now().plusSeconds(1));

            Instant opens = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
            Instant closes = opens.plus(2, ChronoUnit.HOURS);
            long scheduled = asOperator().body("{\"title\":\"Scheduled sale\",\"venue\":\"Hall\",\"saleOpensAt\":\"" + opens
                            + "\",\"saleClosesAt\":\"" + closes + "\",\"preQueueEnabled\":true}")
                    .post(ADMIN + "/concerts").then().statusCode(201)
                    .body("preQueueEnabled", equalTo(true)).body("preQueueLeadSeconds", equalTo(1800))
                    .extract().jsonPath().getLong("concertId");
            // the operator moves the opening and shortens the pre-queue: re-announced as revision 2
            Instant later = opens.plus(30, ChronoUnit.MINUTES);
            asOperator().body("{\"saleOpensAt\":\"" + later + "\",\"saleClosesAt\":\"" + closes + "\",\"preQueueEnabled\":true,"
                            + "\"preQueueLeadSeconds\":600}")
                    .put(ADMIN + "/concerts/" + scheduled + "/sale").then().statusCode(200)
                    .body("saleRevision", equalTo(2)).body("saleOpensAt", equalTo(later.toString()));

            List<ConsumerRecord<String, String>> produced = topic.awaitSettled(Set.of(Long.toString(plainId), Long.toString(scheduled)), 3,
                    Duration.ofSeconds(60), Duration.ofSeconds(2));
            assertThat(contract.brokenRecords(produced)).as("records that break " + contract.file()).isEmpty();
            assertThat(new TreeSet<>(EventContract.typesByKey(produced).get(Long.toString(scheduled))))
                    .isEqualTo(new TreeSet<>(contract.messageTypes(TOPIC)));

            JsonNode first = data(produced, plainId, 0);
            assertThat(first.path("concertId").asLong()).isEqualTo(plainId);
            assertThat(first.path("closesAt").isNull()).isTrue();
            assertThat(first.path("preQueueEnabled").asBoolean()).isFalse();
            assertThat(first.path("revision").asLong()).isEqualTo(1);

            JsonNode created = data(produced, scheduled, 0);
            JsonNode moved = data(produced, scheduled, 1);
            assertThat(Instant.parse(created.path("opensAt").asText())).isEqualTo(opens);
            assertThat(created.path("preQueueLeadSeconds").asLong()).isEqualTo(1800);
            assertThat(created.path("revision").asLong()).isEqualTo(1);
            assertThat(Instant.parse(moved.path("opensAt").asText())).isEqualTo(later);
            assertThat(Instant.parse(moved.path("closesAt").asText())).isEqualTo(closes);
            assertThat(moved.path("preQueueLeadSeconds").asLong()).isEqualTo(600);
            assertThat(moved.path("revision").asLong()).isEqualTo(2);
        }
    }

    @Test
    void aWindowAnOperatorCannotMeanIs400NamingTheFieldAndAnUnknownConcertIs404() {
        Instant opens = Instant.now().plus(1, ChronoUnit.HOURS);
        asOperator().body("{\"title\":\"Bad\",\"venue\":\"Hall\",\"saleOpensAt\":\"" + opens + "\",\"saleClosesAt\":\"" + opens.minusSeconds(60) + "\"}")
                .post(ADMIN + "/concerts").then().statusCode(400)
                .body("type", equalTo("https://concert-platform.example/problems/invalid-sale-window")).body("field", equalTo("saleClosesAt"));
        asOperator().body("{\"title\":\"Bad\",\"venue\":\"Hall\",\"preQueueEnabled\":true,\"preQueueLeadSeconds\":0}")
                .post(ADMIN + "/concerts").then().statusCode(400).body("field", equalTo("preQueueLeadSeconds"));
        asOperator().body("{\"saleOpensAt\":\"" + opens + "\"}").put(ADMIN + "/concerts/987654321/sale").then().statusCode(404);
    }

    private static JsonNode data(List<ConsumerRecord<String, String>> records, long concertId, int nth) throws Exception {
        List<ConsumerRecord<String, String>> ours = records.stream().filter(r -> r.key().equals(Long.toString(concertId))).toList();
        return JSON.readTree(ours.get(nth).value()).path("data");
    }
}
