package io.concertticket.queue.domain;

/** Client input that breaks a rule of the queue; names the offending field. */
public class InvalidQueueRequestException extends RuntimeException {
    private final String field;

    public InvalidQueueRequestException(String field, String detail) {
        super(detail);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
