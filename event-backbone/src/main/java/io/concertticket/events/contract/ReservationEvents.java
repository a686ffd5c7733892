package io.concertticket.events.contract;

import java.time.Instant;

/**
 * {@code concert.reservation-events}, produced by concert-service, consumed by payment-service; keyed by
 * reservation id (docs/architecture.md, D2). Wrapper types: a consumer finds a missing field as null.
 */
public final class ReservationEvents {

    public static final String TOPIC = "concert.reservation-events";

    private ReservationEvents() {
    }

    /** Every event of the topic. */
    public sealed interface ReservationEvent extends AboutReservation permits SeatHeld, ReservationExpired {
        @Override
        default String topic() {
            return TOPIC;
        }
    }

    /** A seat is held for the user until {@code expiresAt}: a payable reservation. */
    public record SeatHeld(Long reservationId, String userId, Long concertId, Long scheduleId, Long seatId,
                           Integer seatNumber, Long price, Instant heldAt, Instant expiresAt) implements ReservationEvent {
    }

    /** The reservation was cancelled and its seat is back on sale. */
    public record ReservationExpired(Long reservationId, String userId, Long concertId, Long scheduleId, Long seatId,
                                     Integer seatNumber, Instant expiredAt) implements ReservationEvent {
    }
}
