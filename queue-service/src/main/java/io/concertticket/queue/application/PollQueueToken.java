package io.concertticket.queue.application;

import io.concertticket.queue.domain.TokenNotFoundException;
import io.concertticket.queue.domain.TokenStatus;
import io.concertticket.queue.infrastructure.QueueReadModel;
import jakarta.enterprise.context.ApplicationScoped;

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
        TokenView view = views.find(token).orElseThrow(() -> new TokenNotFoundException(token));
        if (view.status() == TokenStatus.STANDBY) {
            readModel.recordPoll(token);
        }
        return view;
    }
}
