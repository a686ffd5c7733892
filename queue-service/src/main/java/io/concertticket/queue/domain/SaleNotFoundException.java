package io.concertticket.queue.domain;

/** No sale announced for this concert id: no waiting room, nothing created (404). */
public class SaleNotFoundException extends RuntimeException {

    private final long concertId;

    public SaleNotFoundException(long concertId) {
        super("No sale is announced for concert " + concertId + ".");
        this.concertId = concertId;
    }

    public long concertId() {
        return concertId;
    }
}
