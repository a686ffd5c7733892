package io.concertticket.concert.application;

import io.concertticket.concert.domain.ConcertSummary;
import io.concertticket.concert.domain.Page;
import io.concertticket.concert.infrastructure.ConcertRepository;
import io.concertticket.concert.infrastructure.ReadOnly;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

@ApplicationScoped
public class ListConcerts {

    private final ConcertRepository concerts;

    ListConcerts(ConcertRepository concerts) {
        this.concerts = concerts;
    }

    @Transactional
    @ReadOnly
    public Page<ConcertSummary> page(int page, int size) {
        return new Page<>(concerts.summaries(page, size), page, size, concerts.count());
    }
}
