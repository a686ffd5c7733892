package io.concertticket.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The common part of every {@code @Incoming} handler. A record ends in exactly one of three ways:
 * <ul>
 *   <li><b>applied</b> (or known and of no use): acknowledged, so its offset may be committed;</li>
 *   <li><b>poison</b> (unparseable, unknown type or version, payload that does not fit): nacked at
 *       once, so the channel's dead-letter strategy writes it to the dead-letter topic with the reason;</li>
 *   <li>anything else is <b>transient</b> (database down, lock timeout, the service stopping): retried
 *       with back-off <em>without limit</em>, counted in {@link ConsumerRetries} (metric and health
 *       warning). A valid event is never dead-lettered for a failure that would have passed: a lost
 *       SeatHeld leaves a hold unpayable, a lost ReservationExpired a refund undone. If the service
 *       stops while a record is still failing, the record is left <em>unacknowledged</em>: the
 *       connector commits offsets only up to the last contiguous acknowledged one, so the restarted
 *       service (or another replica) receives it again, and the inbox makes that harmless.</li>
 * </ul>
 *
 * <p>The channel method takes the {@link Message} so that acknowledgement is decided here; services reach
 * this through their topic's {@link EventTopic} ({@code return topic.handle(message);}), which routes and checks
 * the record and applies it once through the inbox.
 * Channel configuration a consuming service needs (here for payment-service's
 * {@code reservation-events} channel; see docs/contracts.md):
 * <pre>
 * mp.messaging.incoming.reservation-events.connector=smallrye-kafka
 * mp.messaging.incoming.reservation-events.topic=concert.reservation-events
 * mp.messaging.incoming.reservation-events.group.id=payment-service
 * mp.messaging.incoming.reservation-events.value.deserializer=org.apache.kafka.common.serialization.StringDeserializer
 * mp.messaging.incoming.reservation-events.auto.offset.reset=earliest
 * mp.messaging.incoming.reservation-events.failure-strategy=dead-letter-queue
 * mp.messaging.incoming.reservation-events.dead-letter-queue.topic=payment-service.dead-letter
 * # set by this library for every Kafka channel (META-INF/microprofile-config.properties); a service
 * # without event-backbone (the gateway) must set it itself:
 * mp.messaging.incoming.reservation-events.cloud-events=false
 * </pre>
 * A poison record on the dead-letter topic keeps its key and value, with the header
 * {@code dead-letter-reason} (the exception's message) plus {@code dead-letter-topic},
 * {@code -partition}, {@code -offset} and {@code -exception-class-name}; the next record follows at once.
 *
 * <p>Applying a record runs in a consumer span ({@code <type> process}) whose parent is the envelope's
 * {@code traceparent}: the handling, its SQL and the events it publishes belong to the trace of the
 * request that wrote the event. The span the connector may have started for the record is linked.
 */
@ApplicationScoped
public class EventConsumerSupport {

    private static final Logger LOG = Logger.getLogger(EventConsumerSupport.class);
    /** After this many failed attempts of one record, every further tenth attempt is logged (not each one). */
    private static final int LOG_EVERY = 10;

    private final ObjectMapper mapper;
    private final EventBackboneConfig config;
    private final ConsumerRetries retries;
    private final Tracer tracer;
    private final EventInbox inbox;
    private volatile boolean stopping;

    /** Without tracing and inbox (unit tests of {@link #handle}). */
    EventConsumerSupport(ObjectMapper mapper, EventBackboneConfig config, ConsumerRetries retries) {
        this(mapper, config, retries, OpenTelemetry.noop().getTracer("event-backbone"), null);
    }

    @Inject
    EventConsumerSupport(ObjectMapper mapper, EventBackboneConfig config, ConsumerRetries retries, Tracer tracer,
                         EventInbox inbox) {
        this.mapper = mapper;
        this.config = config;
        this.retries = retries;
        this.tracer = tracer;
        this.inbox = inbox;
    }

    /**
     * The typed adapter of one consumed topic, built by the service's channel bean: see {@link EventTopic}.
     *
     * @param channel  as in {@code mp.messaging.incoming.<channel>.*}
     * @param consumer the name under which the inbox records applied event ids (one per service)
     */
    public EventTopic.Builder topic(String channel, String consumer) {
        return new EventTopic.Builder(channel, consumer, this, inbox);
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    EventEnvelope parse(String message) {
        return EventEnvelope.parse(mapper, message);
    }

    <T> T data(EventEnvelope envelope, Class<T> type) {
        return envelope.dataAs(mapper, type);
    }

    /**
     * Applies {@code message} with {@code handler} and settles it: ack when applied, nack (dead letter)
     * when poison, neither when the service stops before a transient failure cleared (see the class).
     */
    CompletionStage<Void> handle(Message<String> message, Consumer<EventEnvelope> handler) {
        EventEnvelope envelope;
        try {
            envelope = parse(message.getPayload());
        } catch (PoisonEventException poison) {
            LOG.warnf("dead-lettering an unreadable record: %s", poison.getMessage());
            retries.deadLettered("unreadable");
            return message.nack(poison);
        }
        PoisonEventException poison;
        try {
            if (!applyRetrying(envelope, handler)) {
                LOG.infof("service stopping: %s %s left unacknowledged, it will be delivered again", envelope.type(), envelope.id());
                return CompletableFuture.completedFuture(null);
            }
            return message.ack();
        } catch (PoisonEventException e) {
            poison = e;
        }
        LOG.warnf("dead-lettering %s %s: %s", envelope.type(), envelope.id(), poison.getMessage());
        retries.deadLettered(envelope.type());
        return message.nack(poison);
    }

    /** {@link #retrying} inside the consumer span, child of the event's traceparent (when it has one). */
    private boolean applyRetrying(EventEnvelope envelope, Consumer<EventEnvelope> handler) {
        Span current = Span.current();
        Context parent = envelope.traceparent() == null ? Context.current()
                : TraceParents.parent(envelope.traceparent());
        var builder = tracer.spanBuilder(envelope.type() + " process")
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.operation.type", "process")
                .setAttribute("messaging.message.id", envelope.id().toString())
                .setAttribute("cloudevents.event_id", envelope.id().toString())
                .setAttribute("cloudevents.event_type", envelope.type());
        if (envelope.subject() != null) {
            builder.setAttribute("cloudevents.event_subject", envelope.subject());
        }
        if (current.getSpanContext().isValid() && parent != Context.current()) {
            builder.addLink(current.getSpanContext()); // the connector's receive span, if it made one
        }
        Span span = builder.startSpan();
        try (Scope ignored = span.makeCurrent()) {
            return retrying(envelope, handler);
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.getMessage());
            throw e;
        } finally {
            span.end();
        }
    }


    /** True once applied; false if the service stops (or the thread is interrupted) first; poison is rethrown. */
    private boolean retrying(EventEnvelope envelope, Consumer<EventEnvelope> handler) {
        long backoff = config.consumer().minBackoff().toMillis();
        ConsumerRetries.Failing failing = null;
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    handler.accept(envelope);
                    if (failing != null) {
                        LOG.infof("applied %s %s after %d attempts", envelope.type(), envelope.id(), attempt);
                    }
                    return true;
                } catch (RuntimeException e) {
                    PoisonEventException poison = poisonIn(e);
                    if (poison != null) {
                        throw poison;
                    }
                    if (failing == null) {
                        failing = retries.started(envelope);
                    }
                    failing.failed(e);
                    if (attempt == 1 || attempt % LOG_EVERY == 0) {
                        LOG.warnf("applying %s %s failed (attempt %d): %s; retrying in %d ms", envelope.type(), envelope.id(),
                                attempt, e.toString(), backoff);
                    }
                }
                if (stopping || !sleep(backoff)) {
                    return false;
                }
                backoff = Math.min(backoff * 2, config.consumer().maxBackoff().toMillis());
            }
        } finally {
            if (failing != null) {
                failing.ended();
            }
        }
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static PoisonEventException poisonIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PoisonEventException p) {
                return p;
            }
        }
        return null;
    }
}
