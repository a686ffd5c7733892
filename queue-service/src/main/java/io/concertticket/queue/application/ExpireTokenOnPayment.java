package io.concertticket.queue.application;

import io.concertticket.events.EventConsumerSupport;
import io.concertticket.events.EventEnvelope;
import io.concertticket.events.EventInbox;
import io.concertticket.events.PoisonEventException;
import io.concertticket.queue.domain.ExpiryReason;
import io.concertticket.queue.domain.QueueToken;
import io.concertticket.queue.infrastructure.QueueTokenRepository;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.Optional;

/**
 * A paid user's turn is over: PaymentCompleted expires their ACTIVE token for that concert at once.
 * Idempotent through the inbox: a redelivered event finds its id recorded and changes nothing.
 */
@ApplicationScoped
public class ExpireTokenOnPayment {

    public static final String CONSUMER = "queue-service";
    static final String PAYMENT_COMPLETED = "PaymentCompleted";
    static final String PAYMENT_REFUNDED = "PaymentRefunded";

    private final EventInbox inbox;
    private final EventConsumerSupport support;
    private final QueueTokenRepository tokens;
    private final TokenEventPublisher events;
    private final MeterRegistry meters;

    ExpireTokenOnPayment(EventInbox inbox, EventConsumerSupport support, QueueTokenRepository tokens, TokenEventPublisher events,
                         MeterRegistry meters) {
        this.inbox = inbox;
        this.support = support;
        this.tokens = tokens;
        this.events = events;
        this.meters = meters;
    }

    @Transactional
    public void apply(EventEnvelope event) {
        if (PAYMENT_REFUNDED.equals(event.type())) {
            return; // known, of no use to the queue
        }
        if (!PAYMENT_COMPLETED.equals(event.type())) {
            throw new PoisonEventException("queue-service does not know event type " + event.type());
        }
        if (event.dataVersion() != 1) {
            throw new PoisonEventException("PaymentCompleted data version " + event.dataVersion() + " is not supported");
        }
        PaymentCompleted paid = support.data(event, PaymentCompleted.class);
        if (paid.userId() == null || paid.concertId() == null) {
            throw new PoisonEventException("PaymentCompleted without userId or concertId");
        }
        if (!inbox.firstDelivery(CONSUMER, event.id())) {
            return;
        }
        Optional<QueueToken> active = tokens.activeTokenOf(paid.concertId(), paid.userId());
        if (active.isEmpty()) {
            return; // already timed out, or never active here
        }
        QueueToken t = active.get();
        t.expire(ExpiryReason.PAYMENT_COMPLETED, Instant.now());
        events.expired(t);
        meters.counter("queue.tokens.expired", "reason", ExpiryReason.PAYMENT_COMPLETED.name()).increment();
    }
}
