package io.concertticket.queue.application;

import io.concertticket.events.EventConsumerSupport;
import io.concertticket.events.EventEnvelope;
import io.concertticket.events.EventInbox;
import io.concertticket.events.PoisonEventException;
import io.concertticket.queue.domain.ExpiryReason;
import io.concertticket.queue.domain.QueueToken;
import io.concertticket.queue.domain.TokenStatus;
import io.concertticket.queue.infrastructure.QueueTokenRepository;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.Optional;

/**
 * A paid admission is used up: PaymentCompleted expires exactly the queue token the payment was made
 * with ({@code admissionTokenId}), if it is still ACTIVE. Never "the user's current token": a late or
 * replayed event about an earlier admission must not end a newer place of the same account.
 *
 * <p>An event without {@code admissionTokenId} (required by the contract), or naming a token of another
 * user or concert, cannot say which token to expire: it expires nothing and is dead-lettered, where it
 * is visible. The token it should have named then simply times out. Idempotent through the inbox: a
 * redelivered event finds its id recorded and changes nothing.
 */
@ApplicationScoped
public class ExpireTokenOnPayment {

    public static final String CONSUMER = "queue-service";
    static final String PAYMENT_COMPLETED = "PaymentCompleted";
    static final String PAYMENT_REFUNDED = "PaymentRefunded";
    /** payment-service's decision that an unpaid reservation expired: the admission simply times out. */
    static final String PAYMENT_WINDOW_CLOSED = "PaymentWindowClosed";

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
        if (PAYMENT_REFUNDED.equals(event.type()) || PAYMENT_WINDOW_CLOSED.equals(event.type())) {
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
        if (paid.admissionTokenId() == null) {
            throw new PoisonEventException("PaymentCompleted without admissionTokenId: no queue token can be told to be the one that paid");
        }
        if (!inbox.firstDelivery(CONSUMER, event.id())) {
            return;
        }
        Optional<QueueToken> paidWith = tokens.lockedById(paid.admissionTokenId());
        if (paidWith.isEmpty()) {
            return; // not a token of this queue: nothing to use up
        }
        QueueToken t = paidWith.get();
        if (!t.belongsTo(paid.userId(), paid.concertId())) {
            throw new PoisonEventException("PaymentCompleted names queue token " + t.id() + ", which is not user "
                    + paid.userId() + "'s for concert " + paid.concertId());
        }
        if (t.status() != TokenStatus.ACTIVE) {
            return; // already over (timed out, or an earlier delivery under another event id)
        }
        t.expire(ExpiryReason.PAYMENT_COMPLETED, Instant.now());
        events.expired(t);
        meters.counter("queue.tokens.expired", "reason", ExpiryReason.PAYMENT_COMPLETED.name()).increment();
    }
}
