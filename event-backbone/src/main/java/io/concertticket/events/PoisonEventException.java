package io.concertticket.events;

/**
 * A message that can never be applied (unparseable, unknown type, unsupported version).
 * Retrying is pointless: it goes to the dead-letter topic with this message as the reason.
 */
public class PoisonEventException extends RuntimeException {
    public PoisonEventException(String reason) {
        super(reason);
    }
}
