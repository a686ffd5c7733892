package io.concertticket.concert.domain;

/** A concert as the public list shows it; the price range spans all its seat maps (null before any). */
public record ConcertSummary(long concertId, String title, String venue, Long minPrice, Long maxPrice) {
}
