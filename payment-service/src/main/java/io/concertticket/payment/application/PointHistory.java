package io.concertticket.payment.application;

import io.concertticket.payment.domain.PointHistoryEntry;

import java.util.List;

/** Every change of a wallet's points, read and written in the caller's transaction. */
public interface PointHistory {

    void add(PointHistoryEntry entry);

    /** Newest first. */
    List<PointHistoryEntry> page(String userId, int page, int size);

    long countFor(String userId);
}
