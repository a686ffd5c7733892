package io.concertticket.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.UUID;

/**
 * CloudEvents 1.0 JSON documents (structured mode) shaped as the services' outbox relays publish them, for tests
 * that play the producer of an event: {@code specversion}, {@code id}, {@code source}, {@code type}, {@code time}
 * (now), {@code subject}, {@code datacontenttype}, {@code dataversion} and {@code data}.
 */
public final class CloudEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CloudEvents() {
    }

    /** An event with a new id and payload version 1. */
    public static String json(String source, String type, String subject, Object data) {
        return json(UUID.randomUUID(), source, type, subject, 1, data);
    }

    /**
     * @param source the producer, e.g. {@code /payment-service}
     * @param data   the payload: a record, a map or a {@link com.fasterxml.jackson.databind.JsonNode}; times as strings
     */
    public static String json(UUID id, String source, String type, String subject, int dataVersion, Object data) {
        ObjectNode e = JSON.createObjectNode();
        e.put("specversion", "1.0");
        e.put("id", id.toString());
        e.put("source", source);
        e.put("type", type);
        e.put("time", Instant.now().toString());
        e.put("subject", subject);
        e.put("datacontenttype", "application/json");
        e.put("dataversion", dataVersion);
        e.set("data", JSON.valueToTree(data));
        return e.toString();
    }
}
