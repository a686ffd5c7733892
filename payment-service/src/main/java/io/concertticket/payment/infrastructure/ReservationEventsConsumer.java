package io.concertticket.payment.infrastructure;

import io.concertticket.events.EventChannel;
import io.concertticket.events.EventConsumerSupport;
import io.concertticket.events.EventEnvelope;
import io.concertticket.events.PoisonEventException;
import io.concertticket.payment.application.ExpireReservation;
import io.concertticket.payment.application.PayableSignals;
import io.concertticket.payment.application.RegisterPayable;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Consumes concert.reservation-events (topic, group and dead-letter topic are in application.properties).
 * Unparseable messages, unknown types, unsupported versions and payloads missing required fields are
 * poison and go to the dead-letter topic; known event types meant for others are skipped.
 *
 * <p>Events are applied several at a time ({@code ordered = false}, at most
 * {@code smallrye.messaging.worker.reservation-events.max-concurrency} in flight): applied one by one,
 * each in its own transaction, the consumer kept up with about 100 holds a second and a rush left
 * SeatHeld seconds behind, so payments right after a hold found nothing to pay. Order does not matter
 * here: each event is applied once (inbox), SeatHeld never overwrites a reservation already known and
 * ReservationExpired records one it has not seen as cancelled, so SeatHeld and ReservationExpired give
 * the same state in either order (DuplicateDeliveryIT replays shuffled duplicates to prove it). Two of
 * them for one reservation racing each other collide on its primary key, and the loser is retried.
 */
@ApplicationScoped
public class ReservationEventsConsumer implements EventChannel {

    static final String SEAT_HELD = "SeatHeld";
    static final String RESERVATION_EXPIRED = "ReservationExpired";
    /** Types of docs/contracts.md that payment-service has no use for. */
    private static final Set<String> IGNORED = Set.of("PaymentCompleted", "PaymentRefunded", "TokenActivated", "TokenExpired");

    record SeatHeldData(Long reservationId, String userId, Long concertId, Long scheduleId, Long seatId,
                        Integer seatNumber, Long price, Instant heldAt, Instant expiresAt) {
    }

    record ReservationExpiredData(Long reservationId, String userId, Long concertId, Long scheduleId, Long seatId,
                                  Integer seatNumber, Instant expiredAt) {
    }

    private final EventConsumerSupport support;
    private final RegisterPayable registerPayable;
    private final ExpireReservation expireReservation;
    private final PayableSignals signals;

    ReservationEventsConsumer(EventConsumerSupport support, RegisterPayable registerPayable,
                              ExpireReservation expireReservation, PayableSignals signals) {
        this.support = support;
        this.registerPayable = registerPayable;
        this.expireReservation = expireReservation;
        this.signals = signals;
    }

    @Override
    public String channel() {
        return "reservation-events";
    }

    @Override
    @Incoming("reservation-events")
    @Blocking(value = "reservation-events", ordered = false)
    public CompletionStage<Void> on(Message<String> message) {
        return support.handle(message, this::apply);
    }

    void apply(EventEnvelope e) {
        if (IGNORED.contains(e.type())) {
            return;
        }
        if (!SEAT_HELD.equals(e.type()) && !RESERVATION_EXPIRED.equals(e.type())) {
            throw new PoisonEventException("unknown event type " + e.type());
        }
        if (e.dataVersion() != 1) {
            throw new PoisonEventException(e.type() + " dataversion " + e.dataVersion() + " is not supported");
        }
        if (SEAT_HELD.equals(e.type())) {
            SeatHeldData d = support.data(e, SeatHeldData.class);
            require(d.reservationId() != null && validUser(d.userId()) && d.concertId() != null && d.price() != null
                    && d.price() >= 0 && d.expiresAt() != null, e, "reservationId, userId, concertId, price >= 0 and expiresAt");
            registerPayable.apply(e.id(), new RegisterPayable.SeatHeld(d.reservationId(), d.userId(), d.concertId(),
                    d.scheduleId(), d.seatId(), d.seatNumber(), d.price(), d.heldAt(), d.expiresAt()));
            signals.known(d.reservationId()); // after commit: wake payments waiting for this reservation
        } else {
            ReservationExpiredData d = support.data(e, ReservationExpiredData.class);
            require(d.reservationId() != null && validUser(d.userId()), e, "reservationId and userId");
            expireReservation.apply(e.id(), new ExpireReservation.ReservationExpired(d.reservationId(), d.userId(),
                    d.concertId(), d.scheduleId(), d.seatId(), d.seatNumber(), d.expiredAt()));
            signals.known(d.reservationId());
        }
    }

    /** User ids are at most 64 characters (queue-service's rule and our column width). */
    private static boolean validUser(String userId) {
        return userId != null && !userId.isBlank() && userId.length() <= 64;
    }

    private static void require(boolean ok, EventEnvelope e, String what) {
        if (!ok) {
            throw new PoisonEventException(e.type() + " " + e.id() + " lacks " + what);
        }
    }
}
