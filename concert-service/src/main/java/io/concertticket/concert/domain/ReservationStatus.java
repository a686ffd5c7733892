package io.concertticket.concert.domain;

/**
 * BOOKED → PAID (PaymentCompleted), or BOOKED → CANCELED (PaymentWindowClosed: payment-service decided the
 * deadline passed unpaid). PAID and CANCELED are final. A BOOKED reservation past its deadline stays BOOKED
 * (shown as expiry pending) until one of the two decisions arrives.
 */
public enum ReservationStatus {
    BOOKED, PAID, CANCELED
}
