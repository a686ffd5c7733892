package io.concertticket.concert.infrastructure;

import io.concertticket.concert.application.Reservations;
import io.concertticket.concert.domain.Reservation;
import io.concertticket.concert.domain.ReservationStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class ReservationRepository implements PanacheRepositoryBase<Reservation, Long>, Reservations {

    @Override
    public void insert(Reservation reservation) {
        persist(reservation);
        flush();
    }

    @Override
    public long countLiveHolds(String userId, long scheduleId, Instant now) {
        return count("userId = ?1 and scheduleId = ?2 and status = ?3 and expiresAt > ?4",
                userId, scheduleId, ReservationStatus.BOOKED, now);
    }

    @Override
    public Reservation lock(long reservationId) {
        return getEntityManager().find(Reservation.class, reservationId, LockModeType.PESSIMISTIC_WRITE);
    }

    @Override
    public Optional<Reservation> byId(long reservationId) {
        return findByIdOptional(reservationId);
    }

    /** Newest first: ids grow with creation time. */
    @Override
    public List<Reservation> ofUser(String userId, int page, int size) {
        return find("userId", Sort.descending("id"), userId).page(page, size).list();
    }

    @Override
    public long countOfUser(String userId) {
        return count("userId", userId);
    }
}
