package io.concertticket.concert.domain;

/** BOOKED → PAID, or BOOKED → CANCELED at the deadline. PAID and CANCELED are final. */
public enum ReservationStatus {
    BOOKED, PAID, CANCELED
}
