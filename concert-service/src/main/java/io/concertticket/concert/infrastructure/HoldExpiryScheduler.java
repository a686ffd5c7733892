package io.concertticket.concert.infrastructure;

import io.concertticket.concert.application.ExpireHolds;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Sweeps expired holds every {@code concert.sweeper.interval}, batch after batch until none is due. */
@ApplicationScoped
public class HoldExpiryScheduler {

    private final ExpireHolds expireHolds;
    private final ConcertConfig config;

    HoldExpiryScheduler(ExpireHolds expireHolds, ConcertConfig config) {
        this.expireHolds = expireHolds;
        this.config = config;
    }

    @Scheduled(identity = "hold-expiry", every = "{concert.sweeper.interval}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        if (!config.sweeper().enabled()) {
            return;
        }
        int batch = config.sweeper().batchSize();
        while (expireHolds.expireDueBatch(batch) == batch) {
            // a full batch: more may be due
        }
    }
}
