package io.concertticket.queue.application;

import io.concertticket.queue.domain.Sale;

import java.util.Optional;

/** The announced sales as this replica knows them, in memory (never a sale for a made-up id). */
public interface KnownSales {

    /** The sale from memory only (a sale announced a moment ago may not be here yet). */
    Optional<Sale> inMemory(long concertId);

    /** The sale, read from the database when this replica does not know it yet. */
    Optional<Sale> sale(long concertId);
}
