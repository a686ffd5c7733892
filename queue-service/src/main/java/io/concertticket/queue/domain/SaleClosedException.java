package io.concertticket.queue.domain;

/** Registration for a sale an operator has closed: 409. */
public class SaleClosedException extends RuntimeException {
    private final long concertId;

    public SaleClosedException(long concertId) {
        super("the sale of concert " + concertId + " is closed: no new registrations");
        this.concertId = concertId;
    }

    public long concertId() {
        return concertId;
    }
}
