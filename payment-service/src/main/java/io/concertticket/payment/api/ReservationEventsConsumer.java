package io.concertticket.payment.api;

import io.concertticket.events.EventChannel;
import io.concertticket.events.EventConsumerSupport;
import io.concertticket.events.EventEnvelope;
import io.concertticket.events.EventTopic;
import io.concertticket.events.PoisonEventException;
import io.concertticket.events.contract.PaymentEvents.PaymentCompleted;
import io.concertticket.events.contract.PaymentEvents.PaymentRefunded;
import io.concertticket.events.contract.ReservationEvents.ReservationExpired;
import io.concertticket.events.contract.ReservationEvents.SeatHeld;
import io.concertticket.events.contract.TokenEvents.TokenActivated;
import io.concertticket.events.contract.TokenEvents.TokenExpired;
import io.concertticket.payment.application.ExpireReservation;
import io.concertticket.payment.application.PayableSignals;
import io.concertticket.payment.application.RegisterPayable;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/**
 * The inbound adapter of concert.reservation-events (topic, group and dead-letter topic are in
 * application.properties): SeatHeld and ReservationExpired, version 1, checked and applied once through
 * {@link EventTopic}; payloads missing required fields are poison; known types meant for others are skipped.
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

    private final EventTopic holds;

    ReservationEventsConsumer(EventConsumerSupport events, RegisterPayable registerPayable, ExpireReservation expireReservation,
                              PayableSignals signals) {
        this.holds = events.topic("reservation-events", "payment-service")
                .on(SeatHeld.class, 1,
                        (e, d) -> require(d.reservationId() != null && validUser(d.userId()) && d.concertId() != null
                                && d.price() != null && d.price() >= 0 && d.expiresAt() != null, e,
                                "reservationId, userId, concertId, price >= 0 and expiresAt"),
                        (e, d) -> registerPayable.apply(d),
                        d -> signals.known(d.reservationId())) // after commit: wake payments waiting for this reservation
                .on(ReservationExpired.class, 1,
                        (e, d) -> require(d.reservationId() != null && validUser(d.userId()), e, "reservationId and userId"),
                        (e, d) -> expireReservation.apply(d),
                        d -> signals.known(d.reservationId()))
                // types of docs/contracts.md that payment-service has no use for
                .skip(PaymentCompleted.class, PaymentRefunded.class, TokenActivated.class, TokenExpired.class)
                .build();
    }

    @Override
    public String channel() {
        return holds.channel();
    }

    @Override
    @Incoming("reservation-events")
    @Blocking(value = "reservation-events", ordered = false)
    public CompletionStage<Void> on(Message<String> message) {
        return holds.handle(message);
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
