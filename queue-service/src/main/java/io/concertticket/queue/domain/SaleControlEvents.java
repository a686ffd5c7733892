package io.concertticket.queue.domain;

import java.time.Instant;

/** The payload (schema version 1) of the events on {@code queue.sale-control-events}, keyed by concertId. */
public final class SaleControlEvents {

    public static final String CHANGED = "SaleControlChanged";
    public static final int VERSION = 1;

    private SaleControlEvents() {
    }

    /**
     * A sale's controls as events, the change history and the operator API show them.
     *
     * @param closed whether an operator closed the sale (which ended it: {@code Sale.closedAt})
     */
    public record Controls(AdmissionState admission, int batchSize, double tickSeconds, int maxActive, boolean closed) {
        public static Controls of(SaleControls c, boolean closed) {
            return new Controls(c.admission(), c.batchSize(), c.tick().toMillis() / 1000.0, c.maxActive(), closed);
        }
    }

    /**
     * @param changeId       the change's number in the history ({@code GET /api/v1/admin/sales/{concertId}/changes})
     * @param operator       the operator's account
     * @param endedSessions  active sessions the change ended (queue everyone with endSessions), else 0
     */
    public record SaleControlChanged(long changeId, long concertId, String action, String operator, Instant changedAt,
                                     Controls before, Controls after, int endedSessions) {
    }
}
