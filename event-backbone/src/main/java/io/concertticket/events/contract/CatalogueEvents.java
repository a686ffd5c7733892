package io.concertticket.events.contract;

import io.concertticket.events.Event;

import java.time.Instant;

/**
 * {@code concert.catalogue-events}, produced by concert-service, consumed by queue-service; keyed by concert id
 * (compacted: the latest announcement per concert is the sale).
 */
public final class CatalogueEvents {

    public static final String TOPIC = "concert.catalogue-events";

    private CatalogueEvents() {
    }

    /** The concert's whole sale window; {@code closesAt} null: no closing time set; the higher {@code revision} wins. */
    public record SaleAnnounced(Long concertId, String title, Instant opensAt, Instant closesAt, Boolean preQueueEnabled,
                                Long preQueueLeadSeconds, Long revision, Instant announcedAt) implements Event {
        @Override
        public String topic() {
            return TOPIC;
        }

        @Override
        public String key() {
            return concertId.toString();
        }

        @Override
        public String subject() {
            return "concert/" + concertId;
        }
    }
}
