package io.concertticket.queue.domain;

/**
 * A sale's controls at one moment, as the operator API, the change history (before and after) and the
 * SaleControlChanged event show them.
 *
 * @param closed whether an operator closed the sale (which ended it: {@code Sale.closedAt})
 */
public record ControlsSnapshot(AdmissionState admission, int batchSize, double tickSeconds, int maxActive, boolean closed) {

    public static ControlsSnapshot of(SaleControls c, boolean closed) {
        return new ControlsSnapshot(c.admission(), c.batchSize(), c.tick().toMillis() / 1000.0, c.maxActive(), closed);
    }
}
