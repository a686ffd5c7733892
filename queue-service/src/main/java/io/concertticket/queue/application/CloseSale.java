package io.concertticket.queue.application;

import io.concertticket.queue.application.ControlSale.Changed;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * An operator's close: the sale ends the way its closing time ends it, for good (a later announcement does
 * not reopen it). The close is recorded and published ({@link ControlSale#close}); from its commit on,
 * registration is refused (409 sale-closed) and nobody more is admitted, both checked under the room's lock;
 * then everyone still waiting or pre-queued is told, by the same expiry as the sale-end sweep
 * ({@link EndSales}: EXPIRED, reason SALE_CLOSED), so nobody waits when this answers. Admitted buyers keep
 * their session until it ends as usual, so whoever holds seats can still pay.
 */
@ApplicationScoped
public class CloseSale {

    private final ControlSale control;
    private final EndSales endings;

    CloseSale(ControlSale control, EndSales endings) {
        this.control = control;
        this.endings = endings;
    }

    public Changed close(long concertId, String operator) {
        Changed closed = control.close(concertId, operator);
        endings.expireWaitingIn(concertId);
        return closed;
    }
}
