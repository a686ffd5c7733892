package io.concertticket.concert.domain;

/** AVAILABLE → HELD (a reservation is BOOKED) → DONE (paid, sold for good); HELD → AVAILABLE when the hold expires. */
public enum SeatStatus {
    AVAILABLE, HELD, DONE
}
