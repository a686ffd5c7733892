package io.concertticket.concert.application;

import io.concertticket.concert.domain.Concert;
import io.concertticket.concert.domain.ConcertSummary;

import java.util.List;
import java.util.Optional;

/** The concerts, read and written inside the caller's transaction. */
public interface Concerts {

    void add(Concert concert);

    boolean exists(long concertId);

    /** The concert with its row locked to the end of the transaction: concurrent changes of its sale take turns. */
    Optional<Concert> lock(long concertId);

    /** Concerts whose sale was never announced (created before sale windows existed), locked; rows locked elsewhere skipped. */
    List<Concert> unannounced();

    /** Price ranges and dates come from the schedules' fixed min/max, never from scanning every seat. */
    List<ConcertSummary> summaries(int page, int size);

    long countAll();
}
