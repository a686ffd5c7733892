package io.concertticket.queue.application;

import io.concertticket.events.PoisonEventException;
import io.concertticket.events.contract.PaymentEvents.PaymentCompleted;
import io.concertticket.queue.domain.ExpiryReason;
import io.concertticket.queue.domain.QueueToken;
import io.concertticket.queue.domain.TokenStatus;
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
 * is visible. The token it should have named then simply times out. The adapter
 * ({@code api.PaymentEventsConsumer}) checks the event and applies it once per event id (inbox).
 */
@ApplicationScoped
public class ExpireTokenOnPayment {

    private final QueueTokens tokens;
    private final TokenEventPublisher events;

    ExpireTokenOnPayment(QueueTokens tokens, TokenEventPublisher events) {
        this.tokens = tokens;
        this.events = events;
    }

    @Transactional
    public void apply(PaymentCompleted paid) {
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
    }
}
