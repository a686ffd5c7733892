package io.concertticket.queue.application;

/** How many wait in each sale's pre-queue, as last counted (every few seconds). */
public interface PreQueueCounts {

    long preQueued(long concertId);
}
