package io.concertticket.concert.infrastructure;

import io.concertticket.concert.domain.Concert;
import io.concertticket.concert.domain.ConcertSummary;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class ConcertRepository implements PanacheRepositoryBase<Concert, Long> {

    /** Concerts whose sale was never announced (created before sale windows existed), locked; rows locked elsewhere skipped. */
    @SuppressWarnings("unchecked")
    public List<Concert> unannounced() {
        return getEntityManager().createNativeQuery("SELECT * FROM concert WHERE sale_revision = 0 ORDER BY id FOR UPDATE SKIP LOCKED",
                        Concert.class)
                .getResultList();
    }

    /** Price ranges and dates come from the schedules' fixed min/max, never from scanning every seat. */
    public List<ConcertSummary> summaries(int page, int size) {
        return getEntityManager().createQuery(
                        "select new io.concertticket.concert.domain.ConcertSummary(c.id, c.title, c.venue, min(s.minPrice), max(s.maxPrice), "
                                + "min(s.performanceAt), max(s.performanceAt), min(s.reservableFrom)) "
                                + "from Concert c left join ConcertSchedule s on s.concertId = c.id "
                                + "group by c.id, c.title, c.venue order by c.id", ConcertSummary.class)
                .setFirstResult(page * size)
                .setMaxResults(size)
                .getResultList();
    }
}
