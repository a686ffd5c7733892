package io.concertticket.payment.infrastructure;

import io.concertticket.payment.application.PointHistory;
import io.concertticket.payment.domain.PointHistoryEntry;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class PointHistoryRepository implements PanacheRepositoryBase<PointHistoryEntry, Long>, PointHistory {

    @Override
    public void add(PointHistoryEntry entry) {
        persist(entry);
    }

    @Override
    public List<PointHistoryEntry> page(String userId, int page, int size) {
        return find("userId", Sort.descending("id"), userId).page(Page.of(page, size)).list();
    }

    @Override
    public long countFor(String userId) {
        return count("userId", userId);
    }
}
