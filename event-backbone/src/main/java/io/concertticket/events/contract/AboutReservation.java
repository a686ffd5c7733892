package io.concertticket.events.contract;

import io.concertticket.events.Event;

/** An event about one reservation: keyed by its id, so its events keep their order (docs/architecture.md, D2). */
public interface AboutReservation extends Event {

    Long reservationId();

    @Override
    default String key() {
        return reservationId().toString();
    }

    @Override
    default String subject() {
        return "reservation/" + reservationId();
    }
}
