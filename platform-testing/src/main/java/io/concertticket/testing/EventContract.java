package io.concertticket.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The machine-readable event contract, {@code asyncapi.yaml} at the repository root, as a checker
 * for the records the services really write:
 * <ul>
 *   <li>the topic is a channel {@code address};</li>
 *   <li>the value's {@code type} names one of that channel's messages ({@code name}), and the value
 *       validates against the message's JSON Schema payload (formats such as uuid and date-time included);</li>
 *   <li>the key validates against the message's Kafka key schema and equals the payload field named
 *       by the message's {@code x-key-property} (e.g. {@code data.reservationId});</li>
 *   <li>the headers validate against the message's header schema, and {@code ce_id}/{@code ce_type}
 *       equal the envelope's {@code id}/{@code type}.</li>
 * </ul>
 * <pre>{@code
 * EventContract contract = EventContract.load();          // finds asyncapi.yaml above the working directory
 * contract.assertValid(record);                           // AssertionError listing every violation
 * }</pre>
 */
public final class EventContract {

    public static final String FILE_NAME = "asyncapi.yaml";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Map<String, Map<String, MessageContract>> byTopic;

    private record MessageContract(String name, Schema payload, boolean rawPayload, Schema key, String keyProperty, Schema headers) {
    }

    private EventContract(Path file, Map<String, Map<String, MessageContract>> byTopic) {
        this.file = file;
        this.byTopic = byTopic;
    }

    /** Loads {@code asyncapi.yaml} from the working directory or the nearest directory above it that has one. */
    public static EventContract load() {
        return load(locate(Path.of("").toAbsolutePath()));
    }

    public static EventContract load(Path asyncApiFile) {
        JsonNode doc;
        try {
            doc = new ObjectMapper(new YAMLFactory()).readTree(asyncApiFile.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + asyncApiFile, e);
        }
        if (!doc.path("asyncapi").asText().startsWith("3.")) {
            throw new IllegalArgumentException(asyncApiFile + " is not an AsyncAPI 3 document");
        }
        JsonNode resolved = resolveRefs(doc, doc, new HashSet<>());
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
                b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
        Map<String, Map<String, MessageContract>> byTopic = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> channels = resolved.path("channels").fields(); channels.hasNext(); ) {
            Map.Entry<String, JsonNode> channel = channels.next();
            String address = channel.getValue().path("address").asText(null);
            if (address == null) {
                throw new IllegalArgumentException("channel " + channel.getKey() + " has no address");
            }
            Map<String, MessageContract> messages = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = channel.getValue().path("messages").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> m = it.next();
                JsonNode message = m.getValue();
                String name = message.path("name").asText(m.getKey());
                JsonNode payloadSchema = unwrapMultiFormat(message.path("payload"));
                JsonNode keySchema = message.path("bindings").path("kafka").path("key");
                messages.put(name, new MessageContract(name,
                        registry.getSchema(payloadSchema),
                        "string".equals(payloadSchema.path("type").asText()),
                        keySchema.isMissingNode() ? null : registry.getSchema(unwrapMultiFormat(keySchema)),
                        message.path("x-key-property").asText(null),
                        message.has("headers") ? registry.getSchema(unwrapMultiFormat(message.get("headers"))) : null));
            }
            byTopic.put(address, Collections.unmodifiableMap(messages));
        }
        return new EventContract(asyncApiFile, Collections.unmodifiableMap(byTopic));
    }

    /** Walks up from {@code start} to the first directory that contains {@code asyncapi.yaml}. */
    public static Path locate(Path start) {
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(FILE_NAME);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no " + FILE_NAME + " in " + start.toAbsolutePath() + " or any directory above it");
    }

    public Path file() {
        return file;
    }

    /** The topics (channel addresses) the contract describes. */
    public Set<String> topics() {
        return byTopic.keySet();
    }

    /** The message names (CloudEvents types) declared on a topic. */
    public Set<String> messageTypes(String topic) {
        Map<String, MessageContract> messages = byTopic.get(topic);
        return messages == null ? Set.of() : messages.keySet();
    }

    public List<String> violations(ConsumerRecord<String, String> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : record.headers()) {
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        return violations(record.topic(), record.key(), record.value(), headers);
    }

    /** Everything about this record that breaks the contract; empty when it conforms. */
    public List<String> violations(String topic, String key, String value, Map<String, String> headers) {
        List<String> problems = new ArrayList<>();
        Map<String, MessageContract> messages = byTopic.get(topic);
        if (messages == null) {
            problems.add("topic '" + topic + "' is not a channel address in " + FILE_NAME + " (known: " + byTopic.keySet() + ")");
            return problems;
        }
        MessageContract message;
        JsonNode payload;
        MessageContract raw = messages.values().stream().filter(MessageContract::rawPayload).findFirst().orElse(null);
        if (raw != null) {
            message = raw;
            payload = value == null ? JsonNodeFactory.instance.nullNode() : TextNode.valueOf(value);
        } else {
            try {
                payload = value == null ? null : JSON.readTree(value);
            } catch (IOException e) {
                problems.add("value is not JSON: " + e.getMessage());
                return problems;
            }
            if (payload == null || !payload.isObject()) {
                problems.add("value is not a JSON object: " + value);
                return problems;
            }
            String type = payload.path("type").asText(null);
            message = type == null ? null : messages.get(type);
            if (message == null) {
                problems.add("type '" + type + "' is not a message of topic '" + topic + "' (declared: " + messages.keySet() + ")");
                return problems;
            }
        }
        for (Error e : message.payload().validate(payload)) {
            problems.add("value: " + e);
        }
        if (message.key() != null) {
            if (key == null) {
                problems.add("key is missing");
            } else {
                for (Error e : message.key().validate(TextNode.valueOf(key))) {
                    problems.add("key: " + e);
                }
            }
        }
        if (message.keyProperty() != null) {
            JsonNode expected = payload.path("data").path(message.keyProperty());
            if (expected.isMissingNode() || !expected.asText().equals(key)) {
                problems.add("key '" + key + "' is not data." + message.keyProperty() + " (" + expected + ")");
            }
        }
        if (message.headers() != null) {
            ObjectNode headerNode = JsonNodeFactory.instance.objectNode();
            headers.forEach(headerNode::put);
            for (Error e : message.headers().validate(headerNode)) {
                problems.add("headers: " + e);
            }
            if (!message.rawPayload() && headers.containsKey("ce_id") && !headers.get("ce_id").equals(payload.path("id").asText(null))) {
                problems.add("header ce_id '" + headers.get("ce_id") + "' is not the envelope's id " + payload.path("id"));
            }
            if (!message.rawPayload() && headers.containsKey("ce_type") && !headers.get("ce_type").equals(payload.path("type").asText(null))) {
                problems.add("header ce_type '" + headers.get("ce_type") + "' is not the envelope's type " + payload.path("type"));
            }
        }
        return problems;
    }

    /** @throws AssertionError naming the record and every violation, unless the record conforms */
    public void assertValid(ConsumerRecord<String, String> record) {
        List<String> problems = violations(record);
        if (!problems.isEmpty()) {
            throw new AssertionError("record on " + record.topic() + " (key " + record.key() + ") breaks " + file + ":\n  - "
                    + String.join("\n  - ", problems) + "\n  value: " + record.value());
        }
    }

    /** One message per record that breaks the contract (as {@link #assertValid} would word it); empty when all conform. */
    public List<String> brokenRecords(List<ConsumerRecord<String, String>> records) {
        List<String> broken = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            try {
                assertValid(r);
            } catch (AssertionError e) {
                broken.add(e.getMessage());
            }
        }
        return broken;
    }

    /**
     * The CloudEvents types of the records, grouped by record key in arrival order, each type followed by
     * {@code /<data.reason>} when the payload has a reason (e.g. {@code TokenExpired/TIMEOUT}).
     */
    public static Map<String, List<String>> typesByKey(List<ConsumerRecord<String, String>> records) {
        ObjectMapper json = new ObjectMapper();
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            String type;
            try {
                JsonNode envelope = json.readTree(r.value());
                String reason = envelope.path("data").path("reason").asText("");
                type = envelope.path("type").asText(null) + (reason.isEmpty() ? "" : "/" + reason);
            } catch (IOException e) {
                type = "(not JSON)";
            }
            byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(type);
        }
        return byKey;
    }

    public void assertValid(String topic, String key, String value, Map<String, String> headers) {
        List<String> problems = violations(topic, key, value, headers);
        if (!problems.isEmpty()) {
            throw new AssertionError("record on " + topic + " (key " + key + ") breaks " + file + ":\n  - "
                    + String.join("\n  - ", problems) + "\n  value: " + value);
        }
    }

    /** The examples given in the document for each message, as (topic, message name, headers, payload JSON). */
    public static List<Example> examples(Path asyncApiFile) {
        try {
            JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(asyncApiFile.toFile());
            JsonNode resolved = resolveRefs(doc, doc, new HashSet<>());
            List<Example> examples = new ArrayList<>();
            for (JsonNode channel : iterable(resolved.path("channels"))) {
                for (JsonNode message : iterable(channel.path("messages"))) {
                    for (JsonNode example : message.path("examples")) {
                        Map<String, String> headers = new LinkedHashMap<>();
                        example.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
                        JsonNode payload = example.path("payload");
                        String keyProperty = message.path("x-key-property").asText(null);
                        String key = keyProperty == null ? null : payload.path("data").path(keyProperty).asText();
                        examples.add(new Example(channel.path("address").asText(), message.path("name").asText(),
                                key, headers, JSON.writeValueAsString(payload)));
                    }
                }
            }
            return examples;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public record Example(String topic, String messageName, String key, Map<String, String> headers, String value) {
    }

    private static Iterable<JsonNode> iterable(JsonNode objectNode) {
        List<JsonNode> values = new ArrayList<>();
        objectNode.fields().forEachRemaining(e -> values.add(e.getValue()));
        return values;
    }

    /** A Multi Format Schema Object ({@code schemaFormat} + {@code schema}) or a plain schema. */
    private static JsonNode unwrapMultiFormat(JsonNode node) {
        if (node.has("schemaFormat")) {
            String format = node.get("schemaFormat").asText();
            if (!format.startsWith("application/schema+json") && !format.startsWith("application/schema+yaml")
                    && !format.startsWith("application/vnd.aai.asyncapi")) {
                throw new IllegalArgumentException("unsupported schemaFormat " + format);
            }
            return node.get("schema");
        }
        return node;
    }

    /** Inlines every local {@code $ref} (the document has no recursive schemas). */
    private static JsonNode resolveRefs(JsonNode node, JsonNode root, Set<String> resolving) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual()) {
                String pointer = ref.asText();
                if (!pointer.startsWith("#/")) {
                    throw new IllegalArgumentException("only local $refs are supported: " + pointer);
                }
                if (!resolving.add(pointer)) {
                    throw new IllegalArgumentException("recursive $ref " + pointer);
                }
                JsonNode target = root.at(pointer.substring(1));
                if (target.isMissingNode()) {
                    throw new IllegalArgumentException("dangling $ref " + pointer);
                }
                JsonNode result = resolveRefs(target, root, resolving);
                resolving.remove(pointer);
                return result;
            }
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            node.fields().forEachRemaining(e -> copy.set(e.getKey(), resolveRefs(e.getValue(), root, resolving)));
            return copy;
        }
        if (node.isArray()) {
            var copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> copy.add(resolveRefs(n, root, resolving)));
            return copy;
        }
        return node;
    }

    /** For messages: the message names per topic, sorted (handy in assertions). */
    public Map<String, Set<String>> describe() {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        byTopic.forEach((t, m) -> out.put(t, new TreeSet<>(m.keySet())));
        return out;
    }
}
