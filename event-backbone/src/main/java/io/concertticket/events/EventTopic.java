package io.concertticket.events;

import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The one way to consume a topic: a service's inbound adapter builds one of these
 * ({@link EventConsumerSupport#topic}) and hands it every record:
 * <pre>{@code
 * @ApplicationScoped
 * public class PaymentEventsConsumer implements EventChannel {
 *     private final EventTopic payments;
 *
 *     PaymentEventsConsumer(EventConsumerSupport events, ApplyPayment apply) {
 *         this.payments = events.topic("payment-events", "concert-service")     // channel, inbox consumer name
 *                 .on(PaymentCompleted.class, 1, PaymentEventsConsumer::check, (event, paid) -> apply.paid(paid))
 *                 .skip(PaymentRefunded.class)
 *                 .build();
 *     }
 *     public String channel() { return payments.channel(); }
 *     @Incoming("payment-events") @Blocking
 *     public CompletionStage<Void> on(Message<String> message) { return payments.handle(message); }
 * }
 * }</pre>
 * For each record, in this order:
 * <ol>
 *   <li>the envelope is parsed (unreadable: poison);</li>
 *   <li>its {@code type} is routed, or skipped (a type of the contract this consumer has no use for:
 *       acknowledged), or unknown (poison);</li>
 *   <li>its {@code dataversion} must be one the route accepts, its data must map onto the route's record
 *       and pass the route's check (required fields): otherwise poison;</li>
 *   <li>the inbox and the use case run in <b>one transaction</b> ({@link EventInbox#applyOnce}): the first
 *       delivery of an event id applies it, a redelivery changes nothing;</li>
 *   <li>after the commit, the route's {@code afterCommit} (if any), e.g. waking requests waiting for the effect.</li>
 * </ol>
 * Poison is dead-lettered with its reason, anything else retried ({@link EventConsumerSupport#handle}).
 *
 * <p><b>Why the checks come before the inbox</b> (one rule for every consumer): a refused record must leave
 * no inbox row, so that its dead letter, replayed after a fix ({@link DeadLetterReplay}), is applied instead
 * of being skipped as already seen; and checks that need no database run before a transaction is opened.
 * A use case that finds the event contradicts its state throws poison inside the transaction, which rolls
 * back with the inbox row, for the same reason.
 */
public final class EventTopic {

    /** A check of the typed data before anything is applied; throws {@link PoisonEventException} to refuse it. */
    @FunctionalInterface
    public interface Check<T> {
        void check(EventEnvelope event, T data);
    }

    /** The effect, run inside the transaction that records the event id; the use case gets the typed data. */
    @FunctionalInterface
    public interface Apply<T> {
        void apply(EventEnvelope event, T data);
    }

    private record Route<T>(Set<Integer> versions, Class<T> payload, Check<T> check, Apply<T> apply,
                            Consumer<T> afterCommit) {
    }

    private final String channel;
    private final String consumer;
    private final EventConsumerSupport support;
    private final EventInbox inbox;
    private final Map<String, Route<?>> routes;
    private final Set<String> skipped;

    private EventTopic(Builder b) {
        this.channel = b.channel;
        this.consumer = b.consumer;
        this.support = b.support;
        this.inbox = b.inbox;
        this.routes = Map.copyOf(b.routes);
        this.skipped = Set.copyOf(b.skipped);
    }

    /** The channel name, as in {@code mp.messaging.incoming.<channel>.*}. */
    public String channel() {
        return channel;
    }

    /** Applies one record and settles it (ack, dead letter, or left for redelivery when the service stops). */
    public CompletionStage<Void> handle(Message<String> message) {
        return support.handle(message, this::apply);
    }

    void apply(EventEnvelope event) {
        Route<?> route = routes.get(event.type());
        if (route == null) {
            if (skipped.contains(event.type())) {
                return;
            }
            throw new PoisonEventException("unknown event type '" + event.type() + "' (this consumer knows "
                    + new TreeSet<>(routes.keySet()) + (skipped.isEmpty() ? "" : " and skips " + new TreeSet<>(skipped)) + ")");
        }
        dispatch(route, event);
    }

    private <T> void dispatch(Route<T> route, EventEnvelope event) {
        if (!route.versions().contains(event.dataVersion())) {
            throw new PoisonEventException("unsupported dataversion " + event.dataVersion() + " of " + event.type()
                    + " (supported: " + new TreeSet<>(route.versions()) + ")");
        }
        T data = support.data(event, route.payload());
        route.check().check(event, data);
        inbox.applyOnce(consumer, event.id(), () -> route.apply().apply(event, data));
        route.afterCommit().accept(data);
    }

    /** Routes of one channel; see {@link EventConsumerSupport#topic}. */
    public static final class Builder {
        private final String channel;
        private final String consumer;
        private final EventConsumerSupport support;
        private final EventInbox inbox;
        private final Map<String, Route<?>> routes = new LinkedHashMap<>();
        private final Set<String> skipped = new TreeSet<>();

        Builder(String channel, String consumer, EventConsumerSupport support, EventInbox inbox) {
            this.channel = channel;
            this.consumer = consumer;
            this.support = support;
            this.inbox = inbox;
        }

        /**
         * Applies {@code type} in the data {@code versions} given, mapped onto {@code payload}, once per event id,
         * then runs {@code afterCommit} once the transaction committed.
         */
        public <T> Builder on(String type, Set<Integer> versions, Class<T> payload, Check<T> check, Apply<T> apply,
                              Consumer<T> afterCommit) {
            routes.put(type, new Route<>(Set.copyOf(versions), payload, check, apply, afterCommit));
            return this;
        }

        /** Applies the contract's event {@code payload} (its type is the record's name) in data version {@code version}. */
        public <T extends Event> Builder on(Class<T> payload, int version, Check<T> check, Apply<T> apply) {
            return on(payload, version, check, apply, data -> {
            });
        }

        /** The same, with {@code afterCommit} run once the transaction committed. */
        public <T extends Event> Builder on(Class<T> payload, int version, Check<T> check, Apply<T> apply,
                                            Consumer<T> afterCommit) {
            return on(Event.typeOf(payload), Set.of(version), payload, check, apply, afterCommit);
        }

        /** Types of the contract this consumer has no use for: acknowledged and ignored, never dead-lettered. */
        public Builder skip(String... types) {
            skipped.addAll(Set.of(types));
            return this;
        }

        @SafeVarargs
        public final Builder skip(Class<? extends Event>... types) {
            for (Class<? extends Event> type : types) {
                skipped.add(Event.typeOf(type));
            }
            return this;
        }

        public EventTopic build() {
            return new EventTopic(this);
        }
    }
}
