package io.concertticket.queue.application;

import io.concertticket.queue.domain.AdmissionState;
import io.concertticket.queue.domain.SaleState;

import java.time.Instant;

/**
 * A sale as anyone may see it. {@code waiting}: in line (after the opening); {@code preQueueWaiting}: in the
 * pre-queue (before it; counted every few seconds). {@code shuffleSeed} and {@code preQueueShuffled} appear
 * once the sale has opened, so anyone can check the pre-queue's order (docs/architecture.md).
 *
 * <p>The live controls, as this replica last read them (within one cache refresh interval):
 *
 * @param admission              RUNNING, PAUSED, or STOPPED (an operator's "queue everyone")
 * @param batchSize              places offered per admission round
 * @param tickSeconds            seconds between two rounds
 * @param maxActive              cap on concurrently active buyers, 0 = no cap
 * @param admissionRatePerSecond places per second the sale's rounds actually offered over the estimate window (what
 *                               waits are estimated from); 0 while paused or stopped, before two rounds, or while
 *                               the rounds offer nobody a place (the active cap is full)
 * @param closedByOperator       an operator closed the sale ({@code closedAt}); false when only its closing time passed
 */
public record SaleStatusView(long concertId, String title, SaleState state, Instant opensAt, Instant closesAt, boolean preQueueEnabled,
                             Instant preQueueOpensAt, long preQueueLeadSeconds, long waiting, long preQueueWaiting, Instant openedAt,
                             String shuffleSeed, Long preQueueShuffled, Instant closedAt, AdmissionState admission, int batchSize,
                             double tickSeconds, int maxActive, double admissionRatePerSecond, boolean closedByOperator) {
}
