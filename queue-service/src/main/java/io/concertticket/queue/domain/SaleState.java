package io.concertticket.queue.domain;

/**
 * Where a sale stands: ANNOUNCED (known, registration not yet possible), PRE_QUEUE (registration possible,
 * no place until the opening), OPEN (admission, first come first served behind the shuffled pre-queue),
 * CLOSED (its closing time passed or an operator closed it: no registration, no admission).
 */
public enum SaleState {
    ANNOUNCED, PRE_QUEUE, OPEN, CLOSED;

    public boolean registrable() {
        return this == PRE_QUEUE || this == OPEN;
    }
}
