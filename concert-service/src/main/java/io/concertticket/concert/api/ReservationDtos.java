package io.concertticket.concert.api;

import io.concertticket.concert.domain.Page;
import io.concertticket.concert.domain.Reservation;
import io.concertticket.concert.domain.ReservationStatus;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import java.time.Instant;
import java.util.List;

final class ReservationDtos {

    private ReservationDtos() {
    }

    /** The user is not a field: it is the account of the verified hop token. */
    record HoldRequest(@NotNull @Positive Long scheduleId, @NotNull @Positive Integer seatNumber) {
    }

    /**
     * {@code expiryPending}: BOOKED and past {@code expiresAt}; the seat stays held until payment-service has
     * decided (a payment made in time still completes), then the status turns CANCELED or PAID.
     */
    record ReservationResponse(long reservationId, ReservationStatus status, boolean expiryPending, long concertId,
                               long scheduleId, long seatId, int seatNumber, long price, Instant createdAt,
                               Instant expiresAt, Instant paidAt, Instant canceledAt) {
        static ReservationResponse of(Reservation r) {
            return new ReservationResponse(r.getId(), r.getStatus(), r.isExpiryPending(Instant.now()), r.getConcertId(),
                    r.getScheduleId(), r.getSeatId(), r.getSeatNumber(), r.getPrice(), r.getCreatedAt(), r.getExpiresAt(),
                    r.getPaidAt(), r.getCanceledAt());
        }
    }

    record ReservationPage(List<ReservationResponse> items, int page, int size, long totalItems, long totalPages) {
        static ReservationPage of(Page<Reservation> p) {
            return new ReservationPage(p.items().stream().map(ReservationResponse::of).toList(), p.page(), p.size(),
                    p.totalItems(), p.totalPages());
        }
    }
}
