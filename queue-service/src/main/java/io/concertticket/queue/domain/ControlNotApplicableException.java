package io.concertticket.queue.domain;

/** An operator's action that does not apply to the sale as it is now (pausing a paused sale...): 409. */
public class ControlNotApplicableException extends RuntimeException {
    private final String action;

    public ControlNotApplicableException(String action, String detail) {
        super(detail);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
