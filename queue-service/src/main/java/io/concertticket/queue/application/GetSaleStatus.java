package io.concertticket.queue.application;

import io.concertticket.queue.domain.Sale;
import io.concertticket.queue.domain.SaleNotFoundException;
import io.concertticket.queue.domain.SalePace;
import io.concertticket.queue.domain.SaleState;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/**
 * A sale's public status with its live controls and observed admission rate, from this replica's memory only
 * (never a database read, so polling it costs the database nothing): at most about one refresh interval
 * behind the database, so a sale announced a moment ago is 404 here for that long.
 */
@ApplicationScoped
public class GetSaleStatus {

    private final KnownSales sales;
    private final QueueMemory readModel;
    private final PreQueueCounts counts;
    private final SalePaces controls;

    GetSaleStatus(KnownSales sales, QueueMemory readModel, PreQueueCounts counts, SalePaces controls) {
        this.sales = sales;
        this.readModel = readModel;
        this.counts = counts;
        this.controls = controls;
    }

    public SaleStatusView of(long concertId) {
        Sale s = sales.inMemory(concertId).orElseThrow(() -> new SaleNotFoundException(concertId));
        SaleState state = s.stateAt(Instant.now());
        // the controls before the line, as a poll reads them (TokenViews): a pause comes with its final line
        SalePace pace = controls.pace(concertId);
        long waiting = state == SaleState.OPEN ? readModel.line(concertId).waiting() : 0;
        long preQueueWaiting = state == SaleState.PRE_QUEUE ? counts.preQueued(concertId) : 0;
        boolean opened = s.openedAt() != null;
        double rate = state == SaleState.OPEN ? Math.round(pace.placesPerSecond() * 100) / 100.0 : 0;
        return new SaleStatusView(concertId, s.title(), state, s.opensAt(), s.closesAt(), s.preQueueEnabled(), s.preQueueOpensAt(),
                s.preQueueLead().toSeconds(), waiting, preQueueWaiting, s.openedAt(),
                opened ? s.shuffleSeed() : null, opened && s.preQueueEnabled() ? s.preQueueShuffled() : null, s.closedAt(),
                pace.controls().admission(), pace.controls().batchSize(), pace.controls().tick().toMillis() / 1000.0,
                pace.controls().maxActive(), rate, s.closedAt() != null);
    }
}
