package io.concertticket.events;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

import java.util.List;

/** The W3C {@code traceparent} an event carries (envelope attribute, outbox column), as a parent context for spans. */
final class TraceParents {

    private TraceParents() {
    }

    /** The remote span context of {@code traceparent} under the root context (an invalid one yields no parent). */
    static Context parent(String traceparent) {
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, TRACEPARENT);
    }

    /** Reads the single value of the carrier string as the {@code traceparent} field. */
    private static final TextMapGetter<String> TRACEPARENT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of("traceparent");
        }

        @Override
        public String get(String carrier, String key) {
            return "traceparent".equals(key) ? carrier : null;
        }
    };
}
