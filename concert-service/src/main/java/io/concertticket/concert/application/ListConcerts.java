package io.concertticket.concert.application;

import io.concertticket.concert.domain.ConcertSummary;
import io.concertticket.concert.domain.Page;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

@ApplicationScoped
public class ListConcerts {

    private final Concerts concerts;

    ListConcerts(Concerts concerts) {
        this.concerts = concerts;
    }

    @Transactional
    @ReadOnly
    public Page<ConcertSummary> page(int page, int size) {
        return new Page<>(concerts.summaries(page, size), page, size, concerts.countAll());
    }
}
