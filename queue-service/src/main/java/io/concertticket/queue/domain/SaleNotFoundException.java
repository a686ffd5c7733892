package io.concertticket.queue.domain;

/** No sale (no waiting room) for this concert: 404. */
public class SaleNotFoundException extends RuntimeException {
    private final long concertId;

    public SaleNotFoundException(long concertId) {
        super("no sale for concert " + concertId);
        this.concertId = concertId;
    }

    public long concertId() {
        return concertId;
    }
}
