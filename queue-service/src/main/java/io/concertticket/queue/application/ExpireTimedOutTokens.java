package io.concertticket.queue.application;

import io.concertticket.queue.domain.ExpiryReason;
import io.concertticket.queue.domain.QueueToken;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;

/**
 * ACTIVE tokens past their expiry become EXPIRED (reason TIMEOUT), each announced by TokenExpired.
 * Rows are taken with SKIP LOCKED so replicas sweeping at the same time split the work and never
 * expire (or announce) a token twice.
 */
@ApplicationScoped
public class ExpireTimedOutTokens {

    private final QueueTokens tokens;
    private final TokenEventPublisher events;
    private final UseCaseSettings config;

    ExpireTimedOutTokens(QueueTokens tokens, TokenEventPublisher events, UseCaseSettings config) {
        this.tokens = tokens;
        this.events = events;
        this.config = config;
    }

    /** @return how many tokens expired (a full batch means there may be more) */
    @Transactional
    public int expireDue() {
        Instant now = Instant.now();
        List<QueueToken> due = tokens.activePastExpiry(now, config.sweep().batchSize());
        for (QueueToken t : due) {
            t.expire(ExpiryReason.TIMEOUT, now);
            events.expired(t);
        }
        return due.size();
    }
}
