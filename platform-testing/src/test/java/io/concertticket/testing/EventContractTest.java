package io.concertticket.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static EventContract contract;
    private static Path file;

    @BeforeAll
    static void load() {
        file = EventContract.locate(Path.of(""));
        contract = EventContract.load(file);
    }

    @Test
    void findsTheDocumentAtTheRepositoryRootByWalkingUp() {
        assertThat(file.getFileName().toString()).isEqualTo("asyncapi.yaml");
        assertThat(file.getParent().resolve("docs/contracts.md")).exists();
    }

    @Test
    void everyExampleInTheDocumentConformsToItsOwnSchemas() {
        List<EventContract.Example> examples = EventContract.examples(file);
        assertThat(examples).extracting(EventContract.Example::messageName)
                .contains("SeatHeld", "ReservationExpired", "PaymentCompleted", "PaymentWindowClosed", "PaymentRefunded",
                        "TokenActivated", "TokenExpired");
        for (EventContract.Example e : examples) {
            assertThat(contract.violations(e.topic(), e.key(), e.value(), e.headers())).as(e.messageName()).isEmpty();
        }
    }

    /**
     * The human-readable table in docs/contracts.md and the machine-readable document must say the
     * same: same topics, same types per topic, same data fields per type, same key field.
     */
    @Test
    void describesExactlyTheTopicsTypesKeysAndFieldsOfDocsContracts() throws IOException {
        String md = Files.readString(file.getParent().resolve("docs/contracts.md"));
        Pattern row = Pattern.compile("^\\| `([a-z.-]+)` \\| (\\w+) \\| `(\\w+)` \\| \\w+ \\| (.+) \\|$", Pattern.MULTILINE);
        Matcher m = row.matcher(md);
        Map<String, Set<String>> typesByTopic = new TreeMap<>();
        Map<String, Set<String>> fieldsByType = new TreeMap<>();
        Map<String, String> keyByType = new TreeMap<>();
        while (m.find()) {
            typesByTopic.computeIfAbsent(m.group(1), t -> new TreeSet<>()).add(m.group(3));
            keyByType.put(m.group(3), m.group(2));
            Set<String> fields = new TreeSet<>();
            Matcher f = Pattern.compile("`(\\w+)`").matcher(m.group(4));
            while (f.find()) {
                if (!f.group(1).matches("[A-Z_]+")) { // enum values such as `TIMEOUT` are not fields
                    fields.add(f.group(1));
                }
            }
            fieldsByType.put(m.group(3), fields);
        }
        // the rows were parsed at all (the comparison below checks them against the contract)
        assertThat(typesByTopic).as("rows parsed from docs/contracts.md").hasSizeGreaterThanOrEqualTo(4);

        Map<String, Set<String>> eventTopics = new TreeMap<>(contract.describe());
        eventTopics.keySet().removeIf(t -> t.endsWith(".dead-letter"));
        assertThat(eventTopics).isEqualTo(typesByTopic);

        JsonDoc doc = JsonDoc.read(file);
        for (var e : fieldsByType.entrySet()) {
            assertThat(doc.requiredDataFields(e.getKey())).as("data fields of " + e.getKey()).isEqualTo(e.getValue());
            assertThat(doc.keyProperty(e.getKey())).as("key of " + e.getKey()).isEqualTo(keyByType.get(e.getKey()));
        }
    }

    @Test
    void declaresADeadLetterTopicForEveryConsumingService() {
        assertThat(contract.topics()).contains("concert-service.dead-letter", "payment-service.dead-letter", "queue-service.dead-letter", "api-gateway.dead-letter");
    }

    @Test
    void acceptsAWellFormedSeatHeld() {
        assertThat(contract.violations("concert.reservation-events", "42", seatHeld().toString(), headers(seatHeld()))).isEmpty();
    }

    @Test
    void rejectsAnUnknownTopicAndATypeNotDeclaredOnTheTopic() {
        assertThat(contract.violations("concert.reservations", "42", seatHeld().toString(), headers(seatHeld())))
                .singleElement().asString().contains("not a channel address");
        ObjectNode wrongTopic = seatHeld();
        assertThat(contract.violations("payment.payment-events", "42", wrongTopic.toString(), headers(wrongTopic)))
                .singleElement().asString().contains("'SeatHeld' is not a message of topic 'payment.payment-events'");
    }

    @Test
    void rejectsMissingUndeclaredAndMistypedDataFields() {
        ObjectNode e = seatHeld();
        ((ObjectNode) e.get("data")).remove("price");
        ((ObjectNode) e.get("data")).put("colour", "red");
        ((ObjectNode) e.get("data")).put("seatNumber", "12");
        List<String> problems = contract.violations("concert.reservation-events", "42", e.toString(), headers(e));
        assertThat(String.join("\n", problems)).contains("price").contains("colour").contains("seatNumber");
    }

    @Test
    void rejectsABadEnvelope() {
        ObjectNode e = seatHeld();
        e.put("id", "not-a-uuid");
        e.put("time", "yesterday");
        e.put("specversion", "0.3");
        e.put("dataversion", 2);
        e.remove("subject");
        Map<String, String> headers = headers(seatHeld());
        String problems = String.join("\n", contract.violations("concert.reservation-events", "42", e.toString(), headers));
        assertThat(problems).contains("/id:").contains("/time:").contains("/specversion:").contains("/dataversion:").contains("subject");
    }

    @Test
    void rejectsAKeyThatIsNotTheDocumentedField() {
        ObjectNode e = seatHeld();
        assertThat(contract.violations("concert.reservation-events", "7", e.toString(), headers(e)))
                .singleElement().asString().contains("is not data.reservationId");
        assertThat(contract.violations("concert.reservation-events", null, e.toString(), headers(e)))
                .anySatisfy(p -> assertThat(p).contains("key is missing"));
    }

    @Test
    void rejectsMissingOrInconsistentCloudEventsHeaders() {
        ObjectNode e = seatHeld();
        Map<String, String> headers = headers(e);
        headers.put("ce_type", "ReservationExpired");
        headers.remove("content-type");
        String problems = String.join("\n", contract.violations("concert.reservation-events", "42", e.toString(), headers));
        assertThat(problems).contains("content-type").contains("ce_type 'ReservationExpired' is not the envelope's type");
    }

    @Test
    void rejectsAValueThatIsNotJson() {
        assertThat(contract.violations("queue.token-events", "7", "{oops", Map.of()))
                .singleElement().asString().startsWith("value is not JSON");
    }

    @Test
    void acceptsAnyOriginalValueOnADeadLetterTopicButRequiresTheReason() {
        Map<String, String> headers = new LinkedHashMap<>(Map.of("dead-letter-reason", "unknown event type 'Foo'",
                "dead-letter-topic", "concert.reservation-events", "dead-letter-partition", "0", "dead-letter-offset", "17"));
        assertThat(contract.violations("payment-service.dead-letter", "42", "{oops", headers)).isEmpty();
        headers.remove("dead-letter-reason");
        assertThat(contract.violations("payment-service.dead-letter", "42", "{oops", headers))
                .singleElement().asString().contains("dead-letter-reason");
    }

    @Test
    void assertValidNamesTheRecordAndEveryProblem() {
        ObjectNode e = seatHeld();
        ((ObjectNode) e.get("data")).remove("heldAt");
        assertThatThrownBy(() -> contract.assertValid("concert.reservation-events", "42", e.toString(), headers(e)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("heldAt").hasMessageContaining("key 42");
    }

    /** A SeatHeld as concert-service's relay publishes it (CloudEvents' envelope). */
    private static ObjectNode seatHeld() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("reservationId", 42);
        data.put("userId", "user-7");
        data.put("concertId", 1);
        data.put("scheduleId", 3);
        data.put("seatId", 103);
        data.put("seatNumber", 12);
        data.put("price", 50000);
        data.put("heldAt", "2026-05-01T10:00:00.118Z");
        data.put("expiresAt", "2026-05-01T10:10:00.118Z");
        try {
            return (ObjectNode) JSON.readTree(CloudEvents.json(UUID.fromString("1b4e28ba-2fa1-41d2-883f-0016d3cca427"),
                    "/concert-service", "SeatHeld", "reservation/42", 1, data));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> headers(ObjectNode e) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("content-type", "application/cloudevents+json");
        h.put("ce_id", e.get("id").asText());
        h.put("ce_type", e.get("type").asText());
        return h;
    }

    /** Just enough of the raw document to compare with the markdown table. */
    private record JsonDoc(com.fasterxml.jackson.databind.JsonNode root) {
        static JsonDoc read(Path file) throws IOException {
            return new JsonDoc(new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(file.toFile()));
        }

        Set<String> requiredDataFields(String type) {
            Set<String> fields = new TreeSet<>();
            root.path("components").path("schemas").path(type + "Data").path("required").forEach(n -> fields.add(n.asText()));
            Set<String> declared = new TreeSet<>();
            root.path("components").path("schemas").path(type + "Data").path("properties").fieldNames().forEachRemaining(declared::add);
            assertThat(declared).as("declared fields of " + type).isEqualTo(fields);
            return fields;
        }

        String keyProperty(String type) {
            return root.path("components").path("messages").path(type).path("x-key-property").asText(null);
        }
    }
}
