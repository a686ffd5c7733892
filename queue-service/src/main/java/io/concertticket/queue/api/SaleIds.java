package io.concertticket.queue.api;

import io.concertticket.queue.domain.InvalidQueueRequestException;

/** A concert id from a path: a positive whole number, else 400 naming {@code concertId}. */
final class SaleIds {

    private SaleIds() {
    }

    static long parse(String text) {
        try {
            long id = Long.parseLong(text);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidQueueRequestException("concertId", "concertId must be a positive whole number.");
    }
}
