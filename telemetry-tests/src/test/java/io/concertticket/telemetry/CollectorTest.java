package io.concertticket.telemetry;

import io.concertticket.testing.OtlpReceiver;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An OTLP endpoint configured at run time (here the traces endpoint of a receiver the test starts; in a deployment
 * QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT): the spans reach it, and the do-nothing exporter is out of the way.
 */
@QuarkusTest
@WithTestResource(CollectorTest.Collector.class)
class CollectorTest {

    /** Starts the receiver before the application and points the application's OTLP exporter at it. */
    public static class Collector implements QuarkusTestResourceLifecycleManager {
        private OtlpReceiver receiver;

        @Override
        public Map<String, String> start() {
            receiver = OtlpReceiver.start();
            return Map.of("quarkus.otel.exporter.otlp.traces.endpoint", receiver.endpoint(),
                    "quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf");
        }

        @Override
        public void inject(TestInjector testInjector) {
            testInjector.injectIntoFields(receiver, new TestInjector.MatchesType(OtlpReceiver.class));
        }

        @Override
        public void stop() {
            receiver.close();
        }
    }

    OtlpReceiver collector;

    @Inject
    Tracer tracer;

    @Inject
    OpenTelemetry openTelemetry;

    @Inject
    @Any
    Instance<SpanExporter> exporters;

    @Test
    void spansGoToTheConfiguredEndpoint() {
        try (ExportLog log = ExportLog.capture()) {
            Span span = tracer.spanBuilder("to-the-collector").startSpan();
            span.end();
            assertThat(((OpenTelemetrySdk) openTelemetry).getSdkTracerProvider().forceFlush()
                    .join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

            OtlpReceiver.Span received = collector.await(s -> s.traceId().equals(span.getSpanContext().getTraceId()),
                    Duration.ofSeconds(10));
            assertThat(received.name()).isEqualTo("to-the-collector");
            assertThat(received.spanId()).isEqualTo(span.getSpanContext().getSpanId());
            assertThat(received.service()).isEqualTo("telemetry-test");
            assertThat(exporters.stream().toList()).isEmpty();
            assertThat(log.records()).isEmpty();
        }
    }
}
