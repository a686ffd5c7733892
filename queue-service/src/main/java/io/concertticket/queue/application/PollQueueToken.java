package io.concertticket.queue.application;

import io.concertticket.queue.domain.TokenNotFoundException;
import io.concertticket.queue.domain.TokenStatus;
import io.concertticket.queue.infrastructure.QueueReadModel;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.UUID;

/**
 * The polling API. Deliberately not transactional: it is answered from memory, and the "still
 * here" signal is recorded in memory and flushed to the database in batches.
 */
@ApplicationScoped
public class PollQueueToken {

    private final TokenViews views;
    private final QueueReadModel readModel;

    PollQueueToken(TokenViews views, QueueReadModel readModel) {
        this.views = views;
        this.readModel = readModel;
    }

    public TokenView poll(UUID token) {
        return recorded(token, views.find(token).orElseThrow(() -> new TokenNotFoundException(token)));
    }

    /**
     * The poll answered from memory alone, or empty when answering needs the database (a token this
     * replica has not seen yet, or one whose room says it has left); then call {@link #poll}.
     * Never blocks, so it can run on the I/O thread.
     */
    public Optional<TokenView> pollFromMemory(UUID token) {
        return views.findInMemory(token).map(view -> recorded(token, view));
    }

    private TokenView recorded(UUID token, TokenView view) {
        if (view.status() == TokenStatus.STANDBY) {
            readModel.recordPoll(token);
        }
        return view;
    }
}
