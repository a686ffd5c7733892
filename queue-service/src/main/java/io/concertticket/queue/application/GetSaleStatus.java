package io.concertticket.queue.application;

import io.concertticket.queue.domain.Sale;
import io.concertticket.queue.domain.SaleNotFoundException;
import io.concertticket.queue.domain.SaleState;
import io.concertticket.queue.infrastructure.QueueReadModel;
import io.concertticket.queue.infrastructure.SaleCatalogue;
import io.concertticket.queue.infrastructure.WaitingLineMetrics;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/**
 * A sale's public status, from this replica's memory only (never a database read for an id nobody
 * announced): at most about one refresh interval behind the database, so a sale announced a moment
 * ago is 404 here for that long.
 */
@ApplicationScoped
public class GetSaleStatus {

    private final SaleCatalogue sales;
    private final QueueReadModel readModel;
    private final WaitingLineMetrics counts;

    GetSaleStatus(SaleCatalogue sales, QueueReadModel readModel, WaitingLineMetrics counts) {
        this.sales = sales;
        this.readModel = readModel;
        this.counts = counts;
    }

    public SaleStatusView of(long concertId) {
        Sale s = sales.inMemory(concertId).orElseThrow(() -> new SaleNotFoundException(concertId));
        SaleState state = s.stateAt(Instant.now());
        long waiting = state == SaleState.OPEN ? readModel.line(concertId).waiting() : 0;
        long preQueueWaiting = state == SaleState.PRE_QUEUE ? counts.preQueued(concertId) : 0;
        boolean opened = s.openedAt() != null;
        return new SaleStatusView(concertId, s.title(), state, s.opensAt(), s.closesAt(), s.preQueueEnabled(), s.preQueueOpensAt(),
                s.preQueueLead().toSeconds(), waiting, preQueueWaiting, s.openedAt(),
                opened ? s.shuffleSeed() : null, opened && s.preQueueEnabled() ? s.preQueueShuffled() : null, s.closedAt());
    }
}
