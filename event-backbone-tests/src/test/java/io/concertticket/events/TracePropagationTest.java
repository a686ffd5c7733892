package io.concertticket.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concertticket.events.testapp.BumpCounter;
import io.concertticket.testing.KafkaTestConsumer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.api.common.AttributeKey;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.concertticket.testing.KafkaTestConsumer.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One trace from the writing transaction, through the outbox row and Kafka, into the consumer's handling:
 * real PostgreSQL, Kafka and relay; the application's finished spans in an in-memory exporter.
 */
@QuarkusTest
@WithTestResource(value = EventBackboneInfra.class, initArgs = @ResourceArg(name = "relay", value = "on"))
class TracePropagationTest {

    private static final String TOPIC = "test.counter-events";
    private static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("cloudevents.event_id");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    BumpCounter bumpCounter;
    @Inject
    Tracer tracer;
    @Inject
    InMemorySpanExporter spans;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void theConsumersSpanIsAChildOfTheSpanWhoseTransactionWroteTheEvent() throws Exception {
        String key = "trace-" + UUID.randomUUID();
        try (KafkaTestConsumer topic = KafkaTestConsumer.fromEnd(bootstrap, TOPIC)) {
            Span request = tracer.spanBuilder("test request").setSpanKind(SpanKind.SERVER).startSpan();
            EventEnvelope written;
            try (Scope ignored = request.makeCurrent()) {
                written = bumpCounter.bump(TOPIC, key, 5);
            } finally {
                request.end();
            }
            String traceId = request.getSpanContext().getTraceId();
            String spanId = request.getSpanContext().getSpanId();
            String traceparent = "00-" + traceId + "-" + spanId + "-01";
            assertThat(written.traceparent()).isEqualTo(traceparent);

            // on the topic: the CloudEvents distributed-tracing extension attribute and the W3C header
            ConsumerRecord<String, String> record = topic.await(r -> key.equals(r.key()), 1, Duration.ofSeconds(30)).get(0);
            JsonNode envelope = JSON.readTree(record.value());
            assertThat(envelope.path("traceparent").asText()).isEqualTo(traceparent);
            assertThat(envelope.path("id").asText()).isEqualTo(written.id().toString());
            assertThat(header(record, "traceparent")).isEqualTo(traceparent);

            // the relay's publishing, in the same trace: a PRODUCER span beside the consumer's
            SpanData published = awaitSpan(written.id(), SpanKind.PRODUCER);
            assertThat(published.getName()).isEqualTo(TOPIC + " publish");
            assertThat(published.getTraceId()).isEqualTo(traceId);
            assertThat(published.getParentSpanId()).isEqualTo(spanId);
            assertThat(published.getAttributes().get(AttributeKey.stringKey("messaging.destination.name")))
                    .isEqualTo(TOPIC);

            SpanData consumed = awaitSpan(written.id(), SpanKind.CONSUMER);
            assertThat(consumed.getName()).isEqualTo("CounterBumped process");
            assertThat(consumed.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(consumed.getTraceId()).isEqualTo(traceId);
            assertThat(consumed.getParentSpanId()).isEqualTo(spanId);
            assertThat(consumed.getStatus().getStatusCode()).isNotEqualTo(io.opentelemetry.api.trace.StatusCode.ERROR);
        }
    }

    @Test
    void anEventWrittenOutsideAnyTraceHasNoTraceparentAndIsHandledInATraceOfItsOwn() throws Exception {
        String key = "untraced-" + UUID.randomUUID();
        assertThat(Span.current().getSpanContext().isValid()).isFalse();
        try (KafkaTestConsumer topic = KafkaTestConsumer.fromEnd(bootstrap, TOPIC)) {
            EventEnvelope written = bumpCounter.bump(TOPIC, key, 1);
            assertThat(written.traceparent()).isNull();

            ConsumerRecord<String, String> record = topic.await(r -> key.equals(r.key()), 1, Duration.ofSeconds(30)).get(0);
            assertThat(JSON.readTree(record.value()).has("traceparent")).isFalse();
            assertThat(header(record, "traceparent")).isNull();

            SpanData consumed = awaitSpan(written.id(), SpanKind.CONSUMER);
            assertThat(consumed.getTraceId()).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
            assertThat(consumed.getParentSpanContext().isRemote()).isFalse();
            // nothing to continue, so the relay makes no span of its own for it
            assertThat(spans.getFinishedSpanItems()).noneMatch(s -> s.getKind() == SpanKind.PRODUCER
                    && written.id().toString().equals(s.getAttributes().get(EVENT_ID)));
        }
    }

    private SpanData awaitSpan(UUID eventId, SpanKind kind) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<SpanData> found = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getKind() == kind && eventId.toString().equals(s.getAttributes().get(EVENT_ID)))
                    .toList();
            return found.size() == 1 ? found.get(0) : null;
        }, s -> s != null);
    }
}
