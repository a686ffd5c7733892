package io.concertticket.concert.application;

import io.concertticket.concert.domain.Concert;
import io.concertticket.concert.domain.SaleWindow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;

/** A new concert with its sale window, announced (SaleAnnounced) in the same transaction. */
@ApplicationScoped
public class CreateConcert {

    private final Concerts concerts;
    private final AnnounceSale catalogue;
    private final Clock clock;

    CreateConcert(Concerts concerts, AnnounceSale catalogue, Clock clock) {
        this.concerts = concerts;
        this.catalogue = catalogue;
        this.clock = clock;
    }

    /** A concert on sale from now on, without a pre-queue and without a closing time. */
    @Transactional
    public Concert create(String title, String venue) {
        Instant now = clock.instant();
        return create(title, venue, SaleWindow.of(null, null, null, null, now));
    }

    @Transactional
    public Concert create(String title, String venue, SaleWindow sale) {
        Instant now = clock.instant();
        Concert concert = new Concert(title, venue, sale, now);
        concerts.add(concert);
        catalogue.announce(concert, now);
        return concert;
    }
}
