package io.concertticket.queue.application;

import io.concertticket.queue.domain.SaleState;

import java.time.Instant;

/**
 * A sale as anyone may see it. {@code waiting}: in line (after the opening); {@code preQueueWaiting}: in the
 * pre-queue (before it; counted every few seconds). {@code shuffleSeed} and {@code preQueueShuffled} appear
 * once the sale has opened, so anyone can check the pre-queue's order (docs/architecture.md).
 */
public record SaleStatusView(long concertId, String title, SaleState state, Instant opensAt, Instant closesAt, boolean preQueueEnabled,
                             Instant preQueueOpensAt, long preQueueLeadSeconds, long waiting, long preQueueWaiting, Instant openedAt,
                             String shuffleSeed, Long preQueueShuffled, Instant closedAt) {
}
