package io.concertticket.queue.domain;

public enum ExpiryReason {
    /** the active period ran out */
    TIMEOUT,
    /** the user paid: their turn is over */
    PAYMENT_COMPLETED,
    /** a waiting owner stopped polling: the place is given up so it does not hold up the line */
    ABANDONED,
    /** an operator stopped the sale ("queue everyone") and ended the active sessions with it */
    ENDED_BY_OPERATOR,
    /** the sale ended (its closing time passed, or an operator closed it) while the owner was still waiting */
    SALE_CLOSED
}
