package io.concertticket.concert.application;

import io.concertticket.concert.domain.Concert;
import io.concertticket.concert.infrastructure.ConcertRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;

@ApplicationScoped
public class CreateConcert {

    private final ConcertRepository concerts;
    private final Clock clock;

    CreateConcert(ConcertRepository concerts, Clock clock) {
        this.concerts = concerts;
        this.clock = clock;
    }

    @Transactional
    public Concert create(String title, String venue) {
        Concert concert = new Concert(title, venue, clock.instant());
        concerts.persist(concert);
        return concert;
    }
}
