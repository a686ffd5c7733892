package io.concertticket.queue.application;

import io.concertticket.queue.infrastructure.SaleRepository;
import io.concertticket.queue.infrastructure.ShuffleSeeds;
import io.concertticket.queue.infrastructure.WaitingRoomRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;

/**
 * The opening of each sale whose time has come (database clock), run before every admission round on
 * every replica: under the room's locks (arrivals and admission), so it happens once, and a registration arriving at that
 * moment is either in the pre-queue being shuffled or behind it. A registration that finds the opening
 * due does it itself (RegistrationBatcher), so nobody joins a pre-queue after its time.
 */
@ApplicationScoped
public class OpenSales {

    private final SaleRepository sales;
    private final WaitingRoomRepository rooms;

    OpenSales(SaleRepository sales, WaitingRoomRepository rooms) {
        this.sales = sales;
        this.rooms = rooms;
    }

    @Transactional
    public List<Long> due() {
        return sales.dueForOpening();
    }

    /** @return whether this call opened the sale */
    @Transactional
    public boolean open(long concertId) {
        rooms.lockOrCreate(concertId);
        return sales.openIfDue(concertId, ShuffleSeeds.next());
    }
}
