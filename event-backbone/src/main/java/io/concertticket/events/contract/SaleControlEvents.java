package io.concertticket.events.contract;

import io.concertticket.events.Event;

import java.time.Instant;

/**
 * {@code queue.sale-control-events}, produced by queue-service when an operator changes a sale's controls; keyed
 * by concert id. No platform service consumes it (audit, alerting).
 */
public final class SaleControlEvents {

    public static final String TOPIC = "queue.sale-control-events";

    private SaleControlEvents() {
    }

    /**
     * A sale's controls before or after a change.
     *
     * @param admission RUNNING, PAUSED or STOPPED (queue everyone)
     * @param maxActive the cap on admitted buyers at once; 0 = no cap
     * @param closed    whether an operator closed the sale (which ended it)
     */
    public record Controls(String admission, Integer batchSize, Double tickSeconds, Integer maxActive, Boolean closed) {
    }

    /**
     * @param changeId      the change's number in the history ({@code GET /api/v1/admin/sales/{concertId}/changes})
     * @param action        pause, resume, change-pace, queue-everyone or close
     * @param operator      the operator's account
     * @param endedSessions active sessions the change ended (queue everyone with endSessions), else 0
     */
    public record SaleControlChanged(Long changeId, Long concertId, String action, String operator, Instant changedAt,
                                     Controls before, Controls after, Integer endedSessions) implements Event {
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
            return "sale/" + concertId;
        }
    }
}
