package io.concertticket.queue.application;

import io.concertticket.queue.domain.SalePace;

/** Each sale's controls and observed admission rate as this replica last read them, in memory. */
public interface SalePaces {

    SalePace pace(long concertId);
}
