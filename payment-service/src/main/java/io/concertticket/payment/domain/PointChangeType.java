package io.concertticket.payment.domain;

/** How a history entry moved the balance: CHARGE and REFUND add, USE subtracts. */
public enum PointChangeType {
    CHARGE, USE, REFUND
}
