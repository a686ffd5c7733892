package io.concertticket.concert.application;

import io.concertticket.concert.domain.Reservation;
import io.concertticket.concert.domain.Seat;
import io.concertticket.concert.infrastructure.ConcertConfig;
import io.concertticket.concert.infrastructure.ReservationRepository;
import io.concertticket.concert.infrastructure.SeatRepository;
import io.concertticket.events.OutboxPublisher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Cancels BOOKED reservations past their deadline, puts their seats back on sale and publishes
 * {@code ReservationExpired}, one batch per transaction. Safe with any number of replicas running it.
 */
@ApplicationScoped
public class ExpireHolds {

    private static final Logger LOG = Logger.getLogger(ExpireHolds.class);

    private final ReservationRepository reservations;
    private final SeatRepository seats;
    private final OutboxPublisher outbox;
    private final ConcertConfig config;
    private final Clock clock;
    private final Counter expired;

    ExpireHolds(ReservationRepository reservations, SeatRepository seats, OutboxPublisher outbox, ConcertConfig config,
                Clock clock, MeterRegistry meters) {
        this.reservations = reservations;
        this.seats = seats;
        this.outbox = outbox;
        this.config = config;
        this.clock = clock;
        this.expired = meters.counter("concert.reservations.expired");
    }

    /** @return how many reservations this batch cancelled (a full batch means: call again) */
    @Transactional
    public int expireDueBatch(int batchSize) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<Reservation> due = reservations.lockDueForExpiry(now, batchSize);
        int n = 0;
        for (Reservation reservation : due) {
            if (!reservation.expire(now)) {
                continue;
            }
            Seat seat = seats.lock(reservation.getSeatId());
            if (!seat.releaseHoldOf(reservation.getUserId())) {
                LOG.warnf("reservation %d expired but seat %d was %s for %s; seat left as it is",
                        reservation.getId(), seat.getId(), seat.getStatus(), seat.getUserId());
            }
            outbox.publish(config.topics().reservationEvents(), reservation.getId().toString(),
                    ReservationEvents.RESERVATION_EXPIRED, ReservationEvents.subject(reservation.getId()), ReservationEvents.VERSION,
                    new ReservationEvents.ReservationExpired(reservation.getId(), reservation.getUserId(),
                            reservation.getConcertId(), reservation.getScheduleId(), reservation.getSeatId(),
                            reservation.getSeatNumber(), now));
            n++;
        }
        expired.increment(n);
        return due.size();
    }
}
