package io.concertticket.queue.application;

import io.concertticket.queue.domain.TokenNotFoundException;
import io.concertticket.queue.domain.TokenSnapshot;
import io.concertticket.queue.domain.TokenStatus;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.UUID;

/**
 * The polling API, for the account that owns the token only. Deliberately not transactional: it is
 * answered from memory, and the "still here" signal is recorded in memory and flushed to the database
 * in batches.
 *
 * <p>Someone else's token is answered exactly like a token that does not exist (404): no status, no
 * position, never its access token, and the poll does not count as its owner still being there.
 */
@ApplicationScoped
public class PollQueueToken {

    private final TokenViews views;
    private final QueueMemory readModel;

    PollQueueToken(TokenViews views, QueueMemory readModel) {
        this.views = views;
        this.readModel = readModel;
    }

    public TokenView poll(UUID token, String accountId) {
        return readModel.token(token).map(t -> ownersView(t, accountId)).orElseThrow(() -> new TokenNotFoundException(token));
    }

    /**
     * The poll answered from memory alone, or empty when answering needs the database (a token this
     * replica has not seen yet, or one whose room says it has left); then call {@link #poll}.
     * Never blocks, so it can run on the I/O thread.
     */
    public Optional<TokenView> pollFromMemory(UUID token, String accountId) {
        return readModel.tokenInMemory(token).map(t -> ownersView(t, accountId));
    }

    private TokenView ownersView(TokenSnapshot t, String accountId) {
        if (!t.isOwnedBy(accountId)) {
            throw new TokenNotFoundException(t.id());
        }
        TokenView view = views.viewOf(t);
        if (view.status() == TokenStatus.STANDBY) {
            readModel.recordPoll(t.id());
        }
        return view;
    }
}
