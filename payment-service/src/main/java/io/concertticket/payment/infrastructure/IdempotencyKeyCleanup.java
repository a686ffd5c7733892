package io.concertticket.payment.infrastructure;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

/** Forgets idempotency keys past their retention. Safe with several replicas: a delete is idempotent. */
@ApplicationScoped
public class IdempotencyKeyCleanup {

    private static final Logger LOG = Logger.getLogger(IdempotencyKeyCleanup.class);

    private final IdempotencyKeyRepository keys;
    private final PaymentConfig config;

    IdempotencyKeyCleanup(IdempotencyKeyRepository keys, PaymentConfig config) {
        this.keys = keys;
        this.config = config;
    }

    @Scheduled(every = "${payment.idempotency.cleanup-interval:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void cleanUp() {
        int deleted = keys.deleteOlderThan(config.idempotency().retention());
        if (deleted > 0) {
            LOG.infof("forgot %d idempotency keys older than %s", deleted, config.idempotency().retention());
        }
    }
}
