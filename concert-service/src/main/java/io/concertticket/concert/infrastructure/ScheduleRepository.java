package io.concertticket.concert.infrastructure;

import io.concertticket.concert.application.Schedules;
import io.concertticket.concert.domain.ConcertSchedule;
import io.concertticket.concert.domain.ScheduleAvailability;
import io.concertticket.concert.domain.SeatStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class ScheduleRepository implements PanacheRepositoryBase<ConcertSchedule, Long>, Schedules {

    private static final String AVAILABILITY = "select new io.concertticket.concert.domain.ScheduleAvailability("
            + "s.id, s.concertId, s.performanceAt, s.reservableFrom, s.maxSeatCount, "
            + "(select count(x) from Seat x where x.scheduleId = s.id and x.status = :available)) "
            + "from ConcertSchedule s ";

    @Override
    public void add(ConcertSchedule schedule) {
        persist(schedule);
    }

    @Override
    public Optional<ConcertSchedule> lockById(long id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }

    @Override
    public List<ScheduleAvailability> reservableOf(long concertId, Instant now) {
        return getEntityManager().createQuery(AVAILABILITY
                        + "where s.concertId = :concert and s.reservableFrom <= :now and s.performanceAt > :now "
                        + "order by s.performanceAt, s.id", ScheduleAvailability.class)
                .setParameter("available", SeatStatus.AVAILABLE)
                .setParameter("concert", concertId)
                .setParameter("now", now)
                .getResultList();
    }

    @Override
    public Optional<ScheduleAvailability> availability(long scheduleId) {
        return getEntityManager().createQuery(AVAILABILITY + "where s.id = :id", ScheduleAvailability.class)
                .setParameter("available", SeatStatus.AVAILABLE)
                .setParameter("id", scheduleId)
                .getResultStream().findFirst();
    }
}
