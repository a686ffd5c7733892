package io.concertticket.concert.infrastructure;

import io.concertticket.concert.application.Concerts;
import io.concertticket.concert.domain.Concert;
import io.concertticket.concert.domain.ConcertSummary;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class ConcertRepository implements PanacheRepositoryBase<Concert, Long>, Concerts {

    @Override
    public void add(Concert concert) {
        persist(concert);
    }

    @Override
    public boolean exists(long concertId) {
        return findByIdOptional(concertId).isPresent();
    }

    @Override
    public Optional<Concert> lock(long concertId) {
        return findByIdOptional(concertId, LockModeType.PESSIMISTIC_WRITE);
    }

    @Override
    public long countAll() {
        return count();
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Concert> unannounced() {
        return getEntityManager().createNativeQuery("SELECT * FROM concert WHERE sale_revision = 0 ORDER BY id FOR UPDATE SKIP LOCKED",
                        Concert.class)
                .getResultList();
    }

    @Override
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
