package io.concertticket.queue.domain;

/** A queue token's life: STANDBY (shown to clients as WAITING) → ACTIVE → EXPIRED, or STANDBY → EXPIRED. */
public enum TokenStatus {
    STANDBY,
    ACTIVE,
    EXPIRED;

    /** Statuses only move forward; a cache can always keep the most advanced one it has seen. */
    public boolean isAfter(TokenStatus other) {
        return ordinal() > other.ordinal();
    }

    /** The name clients see: the requirements call the waiting state STANDBY, the API says WAITING. */
    public String publicName() {
        return this == STANDBY ? "WAITING" : name();
    }
}
