package io.concertticket.concert.application;

import io.concertticket.concert.domain.Concert;
import io.concertticket.concert.domain.NotFoundException;
import io.concertticket.concert.domain.SaleWindow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;

/**
 * An operator's new sale window for an existing concert, re-announced with the next revision. The
 * concert's row lock orders concurrent changes, so revisions and outbox order agree.
 */
@ApplicationScoped
public class RescheduleSale {

    private final Concerts concerts;
    private final AnnounceSale catalogue;
    private final Clock clock;

    RescheduleSale(Concerts concerts, AnnounceSale catalogue, Clock clock) {
        this.concerts = concerts;
        this.catalogue = catalogue;
        this.clock = clock;
    }

    @Transactional
    public Concert reschedule(long concertId, SaleWindow sale) {
        Concert concert = concerts.lock(concertId)
                .orElseThrow(() -> NotFoundException.concert(concertId));
        concert.reschedule(sale);
        catalogue.announce(concert, clock.instant());
        return concert;
    }

    /**
     * Announces the concerts created before sale windows existed (revision 0), once, whichever replica
     * starts first (the others skip the rows it has locked and find them announced afterwards).
     *
     * @return how many were announced
     */
    @Transactional
    public int announceUnannounced() {
        Instant now = clock.instant();
        var pending = concerts.unannounced();
        for (Concert c : pending) {
            c.markAnnounced();
            catalogue.announce(c, now);
        }
        return pending.size();
    }
}
