package io.concertticket.queue.application;

import io.concertticket.queue.domain.QueueRequestRules;
import io.concertticket.queue.domain.TokenSnapshot;
import io.concertticket.queue.domain.WaitingLine;
import io.concertticket.queue.infrastructure.QueueReadModel;
import io.concertticket.queue.infrastructure.QueueTokenRepository;
import io.concertticket.queue.infrastructure.QueueTokenRepository.RegistrationOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/**
 * Registration: one statement takes the next arrival number of the concert's room and inserts the
 * token, unless the user already holds a live place there, which is then returned instead.
 *
 * <p>The transaction is managed here rather than with {@code @Transactional} because of the one
 * race the statement cannot settle alone: two simultaneous registrations of the same user. The loser
 * has already drawn an arrival number when the unique index turns its insert away; its transaction
 * is rolled back (so the room's numbers stay gap-free) and the winner's token is read afterwards.
 */
@ApplicationScoped
public class RegisterForQueue {

    public record Registration(TokenView token, boolean created) {
    }

    private static final int ATTEMPTS = 5;

    private final QueueTokenRepository tokens;
    private final QueueReadModel readModel;
    private final TokenViews views;
    private final Counter registrations;

    RegisterForQueue(QueueTokenRepository tokens, QueueReadModel readModel, TokenViews views, MeterRegistry meters) {
        this.tokens = tokens;
        this.readModel = readModel;
        this.views = views;
        this.registrations = meters.counter("queue.registrations");
    }

    public Registration register(Long concertIdInput, String userIdInput) {
        long concertId = QueueRequestRules.requireConcertId(concertIdInput);
        String userId = QueueRequestRules.requireUserId(userIdInput);
        for (int attempt = 1; ; attempt++) {
            UUID id = UUID.randomUUID();
            RegistrationOutcome outcome = QuarkusTransaction.requiringNew().call(() -> {
                RegistrationOutcome o = tokens.registerOrFind(id, concertId, userId);
                if (o.lostRace()) {
                    QuarkusTransaction.setRollbackOnly();
                }
                return o;
            });
            if (outcome.created() != null) {
                registrations.increment();
                readModel.rememberLine(new WaitingLine(concertId, outcome.lastSeq(), outcome.servedUpTo(), null, 0));
                TokenSnapshot t = readModel.remember(TokenSnapshot.waiting(outcome.created(), concertId, userId, outcome.seq()));
                return new Registration(views.viewOf(t), true);
            }
            UUID existing = outcome.existing() != null ? outcome.existing()
                    : QuarkusTransaction.requiringNew().call(() -> tokens.liveTokenOf(concertId, userId));
            if (existing != null) {
                var view = readModel.token(existing).map(views::viewOf);
                if (view.isPresent()) {
                    return new Registration(view.get(), false);
                }
            }
            // the live token expired in between: register afresh
            if (attempt >= ATTEMPTS) {
                throw new IllegalStateException("registration of " + userId + " for concert " + concertId + " kept racing");
            }
        }
    }
}
