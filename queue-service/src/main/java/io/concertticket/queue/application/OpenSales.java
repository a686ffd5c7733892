package io.concertticket.queue.application;

import io.concertticket.queue.domain.ShuffleSeeds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;

/**
 * The opening of each sale whose time has come (database clock), run before every admission round on
 * every replica: under the room's locks (arrivals and admission), so it happens once, and a registration arriving at that
 * moment is either in the pre-queue being shuffled or behind it. A registration that finds the opening
 * due does it itself (Registrations), so nobody joins a pre-queue after its time.
 */
@ApplicationScoped
public class OpenSales {

    private final Sales sales;
    private final WaitingRooms rooms;

    OpenSales(Sales sales, WaitingRooms rooms) {
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
