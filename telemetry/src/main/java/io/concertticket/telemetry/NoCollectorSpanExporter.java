package io.concertticket.telemetry;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.arc.Unremovable;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.inject.Singleton;

import java.util.Collection;

/**
 * Where finished spans go when no OTLP endpoint is configured (the local default: run.sh, tests): nowhere.
 *
 * <p>Quarkus' OTLP exporter is built in and, without an endpoint, sends to {@code localhost:4317}; with no collector
 * there it logs "Failed to export ... Connection refused" again and again. Quarkus uses it only when no
 * {@link SpanExporter} bean can be looked up, so this bean can be looked up exactly while neither
 * {@code quarkus.otel.exporter.otlp.endpoint} nor {@code quarkus.otel.exporter.otlp.traces.endpoint} is set, that is
 * while both hold Quarkus' default {@value #QUARKUS_DEFAULT_ENDPOINT} (Quarkus itself reads that value as "none
 * configured"). Both are run time properties: {@code QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT} switches export on without
 * a rebuild. Spans are still made, so trace ids reach the logs, the outbox rows and the services downstream.
 */
@Singleton
@Unremovable
@LookupIfProperty(name = "quarkus.otel.exporter.otlp.endpoint",
        stringValue = NoCollectorSpanExporter.QUARKUS_DEFAULT_ENDPOINT, lookupIfMissing = true)
@LookupIfProperty(name = "quarkus.otel.exporter.otlp.traces.endpoint",
        stringValue = NoCollectorSpanExporter.QUARKUS_DEFAULT_ENDPOINT, lookupIfMissing = true)
public class NoCollectorSpanExporter implements SpanExporter {

    /**
     * What Quarkus 3.33 reports for both endpoint properties when none is set. A collector on this machine is
     * configured without the trailing slash ({@code http://localhost:4317}), which counts as configured.
     */
    static final String QUARKUS_DEFAULT_ENDPOINT = "http://localhost:4317/";

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
