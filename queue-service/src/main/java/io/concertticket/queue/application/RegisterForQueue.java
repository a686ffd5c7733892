package io.concertticket.queue.application;

import io.concertticket.queue.domain.QueueRequestRules;
import io.concertticket.queue.domain.SaleNotFoundException;
import io.concertticket.queue.domain.TokenSnapshot;
import io.concertticket.queue.domain.WaitingLine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/**
 * Joining a waiting room as the verified account, for an announced sale in its pre-queue or open (404
 * for a concert without an announced sale, 409 for a sale not taking registrations, nothing created):
 * a new token at the back of the line (its arrival number drawn under the room's lock) or in the pre-queue, or the account's live token when it already waits or is active
 * for the concert.
 * The transaction belongs to {@link Registrations}, which writes registrations arriving
 * together in one transaction.
 */
@ApplicationScoped
public class RegisterForQueue {

    public record Registration(TokenView token, boolean created) {
    }

    private final Registrations registrations;
    private final KnownSales catalogue;
    private final QueueMemory readModel;
    private final TokenViews views;
    private final Counter registered;

    RegisterForQueue(Registrations registrations, KnownSales catalogue, QueueMemory readModel, TokenViews views, MeterRegistry meters) {
        this.registrations = registrations;
        this.catalogue = catalogue;
        this.readModel = readModel;
        this.views = views;
        this.registered = meters.counter("queue.registrations");
    }

    /**
     * @param accountId     the verified caller's account: the only user a registration can be for
     * @param claimedUserId the body's optional userId, which must then be that same account
     */
    public Registration register(String accountId, Long concertIdInput, String claimedUserId) {
        String userId = QueueRequestRules.requireOwnAccount(accountId, claimedUserId);
        long concertId = QueueRequestRules.requireConcertId(concertIdInput);
        // a room only for an announced sale that takes registrations (writing it checks again on the database
        // clock under the room's lock, so a close or closing time this replica has not seen yet refuses it too)
        catalogue.sale(concertId).orElseThrow(() -> new SaleNotFoundException(concertId)).requireRegistrableAt(Instant.now());
        Registrations.Outcome o = registrations.register(concertId, userId);
        readModel.rememberLine(new WaitingLine(concertId, o.lastSeq(), o.servedUpTo(), null, 0));
        if (o.created()) {
            registered.increment();
            TokenSnapshot t = readModel.remember(TokenSnapshot.waiting(o.token(), concertId, userId, o.seq()));
            return new Registration(views.viewOf(t), true);
        }
        TokenSnapshot existing = readModel.token(o.token())
                .orElseThrow(() -> new IllegalStateException("live token " + o.token() + " vanished"));
        return new Registration(views.viewOf(existing), false);
    }
}
