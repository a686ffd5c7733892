package io.concertticket.events;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Where a service's channel bean gets its {@link EventTopic}: the typed adapter of one topic.
 * <pre>{@code
 * @ApplicationScoped
 * public class PaymentEventsConsumer implements EventChannel {
 *     private final EventTopic topic;
 *
 *     PaymentEventsConsumer(EventTopics topics, ApplyPayment apply) {
 *         this.topic = topics.channel("payment-events", "concert-service")     // channel, inbox consumer name
 *                 .on("PaymentCompleted", 1, PaymentCompleted.class, PaymentEventsConsumer::check,
 *                         (event, paid) -> apply.paid(paid))
 *                 .skip("PaymentRefunded")
 *                 .build();
 *     }
 *     public String channel() { return topic.channel(); }
 *     @Incoming("payment-events") @Blocking
 *     public CompletionStage<Void> on(Message<String> message) { return topic.handle(message); }
 * }
 * }</pre>
 * The use case gets the typed record only, inside the transaction that also records the event id.
 */
@ApplicationScoped
public class EventTopics {

    private final EventConsumerSupport support;
    private final EventInbox inbox;

    EventTopics(EventConsumerSupport support, EventInbox inbox) {
        this.support = support;
        this.inbox = inbox;
    }

    /**
     * @param channel  as in {@code mp.messaging.incoming.<channel>.*}
     * @param consumer the name under which the inbox records applied event ids (one per service)
     */
    public EventTopic.Builder channel(String channel, String consumer) {
        return new EventTopic.Builder(channel, consumer, support, inbox);
    }
}
