package io.concertticket.queue.application;

import java.time.Instant;

/** concert-service's SaleAnnounced, data version 1 (docs/contracts.md): the concert's whole sale window. */
public record SaleAnnounced(Long concertId, String title, Instant opensAt, Instant closesAt, Boolean preQueueEnabled,
                            Long preQueueLeadSeconds, Long revision, Instant announcedAt) {
}
