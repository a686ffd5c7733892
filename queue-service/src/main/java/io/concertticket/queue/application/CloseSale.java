package io.concertticket.queue.application;

import io.concertticket.queue.domain.Sale;
import io.concertticket.queue.domain.SaleNotFoundException;
import io.concertticket.queue.infrastructure.SaleRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * An operator's close: final (a later announcement does not reopen it). From then on registration is
 * refused (409), admission stops, the waiting are told (their tokens expire with reason SALE_CLOSED,
 * {@link EndSales}) and every replica drops the room from memory; admitted buyers keep their time.
 */
@ApplicationScoped
public class CloseSale {

    private final SaleRepository sales;

    CloseSale(SaleRepository sales) {
        this.sales = sales;
    }

    @Transactional
    public Sale close(long concertId) {
        if (!sales.close(concertId)) {
            throw new SaleNotFoundException(concertId);
        }
        return sales.find(concertId, false).orElseThrow().sale();
    }
}
