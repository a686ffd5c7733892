package io.concertticket.concert.domain;

import java.util.List;

/** One page of a list: zero-based page number, its size, and the total, so clients can page on. */
public record Page<T>(List<T> items, int page, int size, long totalItems) {

    public long totalPages() {
        return size == 0 ? 0 : (totalItems + size - 1) / size;
    }
}
