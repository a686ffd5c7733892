package io.concertticket.queue.domain;

/**
 * A registration whose batch was not written in time: the database is too slow or busy to take the line's arrivals.
 * Overload, not the caller's mistake (503 with Retry-After; nothing was registered for this request).
 */
public class RegistrationNotWrittenException extends RuntimeException {

    public RegistrationNotWrittenException(long seconds, Throwable cause) {
        super("registration not written within " + seconds + " s", cause);
    }
}
