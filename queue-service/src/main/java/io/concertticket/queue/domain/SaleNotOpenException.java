package io.concertticket.queue.domain;

/** Registration for a sale that is not taking anyone: not yet open (and no pre-queue running), or over. */
public class SaleNotOpenException extends RuntimeException {

    private final Sale sale;
    private final SaleState state;

    public SaleNotOpenException(Sale sale, SaleState state) {
        super(state == SaleState.CLOSED
                ? "The sale of concert " + sale.concertId() + " is closed."
                : "The sale of concert " + sale.concertId() + " opens at " + sale.opensAt()
                + (sale.preQueueEnabled() ? "; its pre-queue starts at " + sale.preQueueOpensAt() + "." : "; it has no pre-queue."));
        this.sale = sale;
        this.state = state;
    }

    public Sale sale() {
        return sale;
    }

    public SaleState state() {
        return state;
    }
}
