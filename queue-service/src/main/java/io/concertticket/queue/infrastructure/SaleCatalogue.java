package io.concertticket.queue.infrastructure;

import io.concertticket.queue.application.KnownSales;
import io.concertticket.queue.domain.Sale;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This replica's copy of the announced sales (one small record per real concert, never one for a made-up
 * id), kept current by {@link QueueReadModel}'s change feed: loaded whole at start, then every changed row
 * (an announcement, the opening, a close) within one refresh interval, on every replica.
 */
@ApplicationScoped
public class SaleCatalogue implements KnownSales {

    private final DataSource dataSource;
    private final Map<Long, Sale> sales = new ConcurrentHashMap<>();

    SaleCatalogue(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The sale as this replica knows it; memory only (a sale announced a moment ago may not be here yet). */
    @Override
    public Optional<Sale> inMemory(long concertId) {
        return Optional.ofNullable(sales.get(concertId));
    }

    /**
     * The sale, read from the database when this replica does not know it yet (announced a moment ago and
     * not yet in its change feed); an unknown id is not remembered, so made-up ids cost no memory.
     */
    @Override
    public Optional<Sale> sale(long concertId) {
        Sale known = sales.get(concertId);
        if (known != null) {
            return Optional.of(known);
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT " + SaleRepository.COLUMNS + " FROM sale WHERE concert_id = ?")) {
            s.setLong(1, concertId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(remember(saleOf(rs))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot load sale", e);
        }
    }

    /** Concerts whose sale has ended at {@code now}: their rooms are no longer kept in memory. */
    public List<Long> endedAt(Instant now) {
        return sales.values().stream().filter(s -> s.endedAt(now)).map(Sale::concertId).toList();
    }

    /** Every sale (at start) or those changed since the snapshot xmin {@code since}; called by QueueReadModel's refresh. */
    void load(Connection c, long since) throws SQLException {
        String where = since < 0 ? "" : " WHERE change_xid >= CAST(CAST(? AS text) AS xid8)";
        try (PreparedStatement s = c.prepareStatement("SELECT " + SaleRepository.COLUMNS + " FROM sale" + where)) {
            if (since >= 0) {
                s.setLong(1, since);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    remember(saleOf(rs));
                }
            }
        }
    }

    private Sale remember(Sale sale) {
        // a read racing the change feed may bring an older copy: keep the one that knows more
        return sales.merge(sale.concertId(), sale, SaleCatalogue::newest);
    }

    private static Sale newest(Sale a, Sale b) {
        if (a.revision() != b.revision()) {
            return a.revision() > b.revision() ? a : b;
        }
        int factsA = (a.openedAt() != null ? 1 : 0) + (a.closedAt() != null ? 1 : 0);
        int factsB = (b.openedAt() != null ? 1 : 0) + (b.closedAt() != null ? 1 : 0);
        return factsB > factsA ? b : a;
    }

    private static Sale saleOf(ResultSet rs) throws SQLException {
        Object[] r = new Object[11];
        for (int i = 0; i < r.length; i++) {
            r[i] = rs.getObject(i + 1);
        }
        for (int i : new int[]{2, 3, 7, 8}) {
            r[i] = rs.getTimestamp(i + 1);
        }
        return SaleRepository.saleOf(r);
    }
}
