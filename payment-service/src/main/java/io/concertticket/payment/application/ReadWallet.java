package io.concertticket.payment.application;

import io.concertticket.payment.domain.PointHistoryEntry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;

/** Read-only views of a wallet. */
@ApplicationScoped
public class ReadWallet {

    public record HistoryPage(String userId, int page, int size, long totalEntries, List<PointHistoryEntry> entries) {
    }

    private final Wallets wallets;
    private final PointHistory history;

    ReadWallet(Wallets wallets, PointHistory history) {
        this.wallets = wallets;
        this.history = history;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public long balance(String userId) {
        return wallets.balanceOf(userId);
    }

    /** Newest first; count and page are read in one transaction so they agree. */
    @Transactional
    public HistoryPage history(String userId, int page, int size) {
        return new HistoryPage(userId, page, size, history.countFor(userId), history.page(userId, page, size));
    }
}
