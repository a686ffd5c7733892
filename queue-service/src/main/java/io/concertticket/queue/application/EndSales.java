package io.concertticket.queue.application;

import io.concertticket.queue.domain.ExpiryReason;
import io.concertticket.queue.domain.QueueToken;
import io.concertticket.queue.infrastructure.QueueConfig;
import io.concertticket.queue.infrastructure.QueueTokenRepository;
import io.concertticket.queue.infrastructure.SaleRepository;
import io.concertticket.queue.infrastructure.WaitingRoomRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;

/**
 * Once a sale has ended (its closing time passed, or an operator closed it), nobody still waiting will be
 * admitted: their tokens, pre-queued ones included, become EXPIRED with reason SALE_CLOSED (and a
 * TokenExpired each), so their polls say so and stop. Batch by batch, each under the room's row lock like
 * the abandon sweep; active buyers are left alone. Run by the sale-end sweep and by an operator's close.
 */
@ApplicationScoped
public class EndSales {

    private final SaleRepository sales;
    private final WaitingRoomRepository rooms;
    private final QueueTokenRepository tokens;
    private final TokenEventPublisher events;
    private final QueueConfig config;
    private final MeterRegistry meters;

    EndSales(SaleRepository sales, WaitingRoomRepository rooms, QueueTokenRepository tokens, TokenEventPublisher events,
             QueueConfig config, MeterRegistry meters) {
        this.sales = sales;
        this.rooms = rooms;
        this.tokens = tokens;
        this.events = events;
        this.config = config;
        this.meters = meters;
    }

    @Transactional
    public List<Long> endedWithWaiting() {
        return sales.endedWithWaiting();
    }

    /**
     * Expires everyone still waiting in the room of an ended sale, one transaction per sweep batch.
     *
     * @return how many waiting tokens were expired
     */
    public int expireWaitingIn(long concertId) {
        int total = 0;
        int n;
        do {
            n = QuarkusTransaction.requiringNew().call(() -> expireBatchIn(concertId));
            total += n;
        } while (n == config.sweep().batchSize());
        return total;
    }

    private int expireBatchIn(long concertId) {
        if (!rooms.lock(concertId)) {
            return 0;
        }
        List<QueueToken> waiting = tokens.waiting(concertId, config.sweep().batchSize());
        Instant now = Instant.now();
        for (QueueToken t : waiting) {
            t.expire(ExpiryReason.SALE_CLOSED, now);
            events.expired(t);
        }
        if (!waiting.isEmpty()) {
            rooms.countDropped(concertId, waiting.size());
        }
        meters.counter("queue.tokens.expired", "reason", ExpiryReason.SALE_CLOSED.name()).increment(waiting.size());
        return waiting.size();
    }
}
