package io.concertticket.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.opentelemetry.runtime.exporter.otlp.tracing.LateBoundSpanProcessor;
import io.quarkus.opentelemetry.runtime.exporter.otlp.tracing.RemoveableLateBoundSpanProcessor;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No OTLP endpoint configured (the local default): spans are still made (their ids reach logs and events), nothing
 * is sent anywhere and nothing is logged about exporting. Before NoCollectorSpanExporter, Quarkus sent every batch
 * to localhost:4317 and logged "Failed to export TraceRequestMarshaler ... Connection refused".
 */
@QuarkusTest
class NoCollectorTest {

    @Inject
    Tracer tracer;

    @Inject
    OpenTelemetry openTelemetry;

    @Inject
    @Any
    Instance<SpanExporter> exporters;

    @Inject
    Instance<LateBoundSpanProcessor> otlpProcessor;

    @Test
    void spansAreMadeButNeitherExportedNorComplainedAbout() {
        try (ExportLog log = ExportLog.capture()) {
            Span span = tracer.spanBuilder("no-collector").startSpan();
            span.end();
            assertThat(span.getSpanContext().isValid()).isTrue();

            // The batch goes through the exporters now; the OTLP exporter would have failed (and logged) here.
            assertThat(((OpenTelemetrySdk) openTelemetry).getSdkTracerProvider().forceFlush()
                    .join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

            assertThat(exporters.stream().toList()).singleElement().isInstanceOf(NoCollectorSpanExporter.class);
            assertThat(otlpProcessor.get()).isInstanceOf(RemoveableLateBoundSpanProcessor.class);
            assertThat(log.records()).isEmpty();
        }
    }
}
