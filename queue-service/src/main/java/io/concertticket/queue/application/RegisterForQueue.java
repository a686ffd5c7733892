package io.concertticket.queue.application;

import io.concertticket.queue.domain.QueueRequestRules;
import io.concertticket.queue.domain.SaleClosedException;
import io.concertticket.queue.domain.TokenSnapshot;
import io.concertticket.queue.domain.WaitingLine;
import io.concertticket.queue.infrastructure.QueueReadModel;
import io.concertticket.queue.infrastructure.RegistrationBatcher;
import io.concertticket.queue.infrastructure.SaleControlsView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Joining a waiting room as the verified account: a new token at the back of the line (its arrival
 * number drawn under the room's lock), or the account's live token when it already waits or is active
 * for the concert.
 * The transaction belongs to {@link RegistrationBatcher}, which writes registrations arriving
 * together in one transaction.
 */
@ApplicationScoped
public class RegisterForQueue {

    public record Registration(TokenView token, boolean created) {
    }

    private final RegistrationBatcher batcher;
    private final QueueReadModel readModel;
    private final TokenViews views;
    private final SaleControlsView sales;
    private final Counter registrations;

    RegisterForQueue(RegistrationBatcher batcher, QueueReadModel readModel, TokenViews views, SaleControlsView sales, MeterRegistry meters) {
        this.batcher = batcher;
        this.readModel = readModel;
        this.views = views;
        this.sales = sales;
        this.registrations = meters.counter("queue.registrations");
    }

    /**
     * @param accountId     the verified caller's account: the only user a registration can be for
     * @param claimedUserId the body's optional userId, which must then be that same account
     */
    public Registration register(String accountId, Long concertIdInput, String claimedUserId) {
        String userId = QueueRequestRules.requireOwnAccount(accountId, claimedUserId);
        long concertId = QueueRequestRules.requireConcertId(concertIdInput);
        // an operator's close, as this replica knows it (at most one cache refresh behind)
        if (sales.controls(concertId).closed()) {
            throw new SaleClosedException(concertId);
        }
        RegistrationBatcher.Outcome o = batcher.register(concertId, userId);
        readModel.rememberLine(new WaitingLine(concertId, o.lastSeq(), o.servedUpTo(), null, 0));
        if (o.created()) {
            registrations.increment();
            TokenSnapshot t = readModel.remember(TokenSnapshot.waiting(o.token(), concertId, userId, o.seq()));
            return new Registration(views.viewOf(t), true);
        }
        TokenSnapshot existing = readModel.token(o.token())
                .orElseThrow(() -> new IllegalStateException("live token " + o.token() + " vanished"));
        return new Registration(views.viewOf(existing), false);
    }
}
