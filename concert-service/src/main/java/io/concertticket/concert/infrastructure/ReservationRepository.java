package io.concertticket.concert.infrastructure;

import io.concertticket.concert.domain.Reservation;
import io.concertticket.concert.domain.ReservationStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.List;

@ApplicationScoped
public class ReservationRepository implements PanacheRepositoryBase<Reservation, Long> {

    /** Holds of this user in this schedule that still count: BOOKED and not yet past their deadline. */
    public long countLiveHolds(String userId, long scheduleId, Instant now) {
        return count("userId = ?1 and scheduleId = ?2 and status = ?3 and expiresAt > ?4",
                userId, scheduleId, ReservationStatus.BOOKED, now);
    }

    public Reservation lock(long reservationId) {
        return getEntityManager().find(Reservation.class, reservationId, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Newest first: ids grow with creation time. */
    public List<Reservation> ofUser(String userId, int page, int size) {
        return find("userId", Sort.descending("id"), userId).page(page, size).list();
    }

    public long countOfUser(String userId) {
        return count("userId", userId);
    }
}
