package io.concertticket.events;

/**
 * An event as its producer defines it: a record whose components are the CloudEvents {@code data}, and which
 * knows how it travels. {@link OutboxPublisher#publish(Event)} takes it; consumers map {@code data} onto the
 * same record ({@link EventTopic}). The definitions are in {@code io.concertticket.events.contract}, one record
 * per event type and data version, one class per topic. Only the record's components are serialised (Jackson
 * takes a record's properties from its components), so the methods below never reach the wire.
 */
public interface Event {

    /** The Kafka topic, as named in asyncapi.yaml. */
    String topic();

    /** The message key: all events with one key keep their order (a reservation id, a user id, a concert id). */
    String key();

    /** What the event is about, e.g. {@code reservation/42}. */
    String subject();

    /**
     * The CloudEvents {@code type}: the record's simple name ({@code SeatHeld}), so the name of the record and of
     * the event cannot drift apart; renaming a record renames the event, which the contract tests catch.
     */
    default String type() {
        return typeOf(getClass());
    }

    /** The data schema version ({@code dataversion}); a new version comes with its own record. */
    default int dataVersion() {
        return 1;
    }

    static String typeOf(Class<? extends Event> event) {
        return event.getSimpleName();
    }
}
