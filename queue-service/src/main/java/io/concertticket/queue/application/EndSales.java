package io.concertticket.queue.application;

import io.concertticket.queue.domain.ExpiryReason;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;

/**
 * Once a sale has ended (its closing time passed, or an operator closed it), nobody still waiting will be
 * admitted: their tokens, pre-queued ones included, become EXPIRED with reason SALE_CLOSED (and a
 * TokenExpired each), so their polls say so and stop. Batch by batch ({@link ExpireWaitingTokens}); active
 * buyers are left alone. Run by the sale-end sweep and by an operator's close.
 */
@ApplicationScoped
public class EndSales {

    private final Sales sales;
    private final ExpireWaitingTokens expiry;
    private final UseCaseSettings config;

    EndSales(Sales sales, ExpireWaitingTokens expiry, UseCaseSettings config) {
        this.sales = sales;
        this.expiry = expiry;
        this.config = config;
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
            n = expiry.expireIn(concertId, ExpiryReason.SALE_CLOSED, null);
            total += n;
        } while (n == config.sweep().batchSize());
        return total;
    }
}
