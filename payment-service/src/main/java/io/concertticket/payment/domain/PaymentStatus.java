package io.concertticket.payment.domain;

public enum PaymentStatus {
    COMPLETED, REFUNDED
}
