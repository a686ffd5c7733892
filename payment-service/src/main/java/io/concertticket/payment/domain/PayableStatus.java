package io.concertticket.payment.domain;

public enum PayableStatus {
    BOOKED, PAID, CANCELED
}
