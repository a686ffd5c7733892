package io.concertticket.events;

/**
 * A message that can never be applied (unparseable, unknown type, unsupported version).
 * Retrying is pointless: it goes to the dead-letter topic with this message as the reason.
 */
public class PoisonEventException extends RuntimeException {
    public PoisonEventException(String reason) {
        super(reason);
    }

    /** For a consumer that dispatches by hand: the type is not one it knows. */
    public static PoisonEventException unknownType(EventEnvelope envelope) {
        return new PoisonEventException("unknown event type '" + envelope.type() + "'");
    }
}
