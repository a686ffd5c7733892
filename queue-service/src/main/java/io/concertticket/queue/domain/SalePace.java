package io.concertticket.queue.domain;

/**
 * A sale's admission as a waiting client should see it now.
 *
 * @param placesPerSecond the observed rate; 0 when unknown or while admission is held
 * @param stillSeconds    how long the line has not moved (or admission has been held)
 */
public record SalePace(SaleControls controls, double placesPerSecond, long stillSeconds) {
}
