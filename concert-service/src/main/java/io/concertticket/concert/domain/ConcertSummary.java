package io.concertticket.concert.domain;

import java.time.Instant;

/**
 * A concert as the public list shows it; the price range spans all its seat maps (null before any). The dates
 * span its schedules (null before any): the first and last performance, and when the earliest schedule becomes
 * reservable. They are dates rather than an "open" flag so a client (or a cache of this list) never shows a
 * status that went stale: the sale is open from {@code saleOpensAt} until {@code lastPerformanceAt}.
 */
public record ConcertSummary(long concertId, String title, String venue, Long minPrice, Long maxPrice,
                             Instant firstPerformanceAt, Instant lastPerformanceAt, Instant saleOpensAt) {
}
