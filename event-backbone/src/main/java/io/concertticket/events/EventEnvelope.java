package io.concertticket.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.UUID;

/**
 * An event as it travels on Kafka: a CloudEvents 1.0 structured-mode JSON document.
 * {@code dataversion} is the version of the payload schema (a CloudEvents extension attribute):
 * consumers accept the versions they know and dead-letter the rest. {@code traceparent} is the
 * CloudEvents distributed-tracing extension attribute: the W3C trace context of the transaction that
 * wrote the event (absent when it ran outside any trace), so the consumer's span joins that trace.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventEnvelope(
        @JsonProperty("specversion") String specVersion,
        @JsonProperty("id") UUID id,
        @JsonProperty("source") String source,
        @JsonProperty("type") String type,
        @JsonProperty("time") Instant time,
        @JsonProperty("subject") String subject,
        @JsonProperty("datacontenttype") String dataContentType,
        @JsonProperty("dataversion") int dataVersion,
        @JsonProperty("traceparent") String traceparent,
        @JsonProperty("data") JsonNode data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/cloudevents+json";

    /** @param traceparent W3C trace context of the writing transaction, or null */
    public static EventEnvelope of(String source, String type, String subject, int dataVersion, String traceparent, JsonNode data) {
        return new EventEnvelope(SPEC_VERSION, UUID.randomUUID(), source, type, Instant.now(), subject,
                "application/json", dataVersion, traceparent, data);
    }

    /** Parses a message; anything that is not a well-formed envelope is a poison message. */
    public static EventEnvelope parse(ObjectMapper mapper, String json) {
        if (json == null || json.isBlank()) {
            throw new PoisonEventException("empty message");
        }
        EventEnvelope e;
        try {
            e = mapper.readValue(json, EventEnvelope.class);
        } catch (Exception ex) {
            throw new PoisonEventException("not a CloudEvents JSON document: " + ex.getMessage());
        }
        if (e.id() == null || e.type() == null || e.data() == null || !SPEC_VERSION.equals(e.specVersion())) {
            throw new PoisonEventException("missing id, type, data or specversion 1.0");
        }
        return e;
    }

    /** Maps the payload onto a record; a payload that does not fit is a poison message. */
    public <T> T dataAs(ObjectMapper mapper, Class<T> type) {
        try {
            return mapper.treeToValue(data, type);
        } catch (Exception ex) {
            throw new PoisonEventException(this.type + " payload does not match its schema: " + ex.getMessage());
        }
    }
}
