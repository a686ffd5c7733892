package io.concertticket.concert.domain;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The seats of one schedule with their prices, validated as a whole before any row is written:
 * numbers are positive and unique, prices are not negative, the size is bounded.
 */
public final class SeatMap {

    public static final int MAX_SEATS = 100_000;

    public record SeatSpec(int seatNumber, long price) {
    }

    private final int[] seatNumbers;
    private final long[] prices;

    private SeatMap(int[] seatNumbers, long[] prices) {
        this.seatNumbers = seatNumbers;
        this.prices = prices;
    }

    /** Seats 1..count, all at one price. */
    public static SeatMap uniform(int count, long price) {
        if (count < 1 || count > MAX_SEATS) {
            throw new InvalidSeatMapException("seatCount must be between 1 and " + MAX_SEATS);
        }
        if (price < 0) {
            throw new InvalidSeatMapException("price cannot be negative");
        }
        int[] numbers = new int[count];
        long[] prices = new long[count];
        for (int i = 0; i < count; i++) {
            numbers[i] = i + 1;
            prices[i] = price;
        }
        return new SeatMap(numbers, prices);
    }

    /** Seats with their own numbers and prices (sections priced differently). */
    public static SeatMap of(List<SeatSpec> seats) {
        if (seats == null || seats.isEmpty() || seats.size() > MAX_SEATS) {
            throw new InvalidSeatMapException("seats must list between 1 and " + MAX_SEATS + " seats");
        }
        int[] numbers = new int[seats.size()];
        long[] prices = new long[seats.size()];
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < seats.size(); i++) {
            SeatSpec s = seats.get(i);
            if (s.seatNumber() < 1) {
                throw new InvalidSeatMapException("seat numbers start at 1 (got " + s.seatNumber() + ")");
            }
            if (s.price() < 0) {
                throw new InvalidSeatMapException("seat " + s.seatNumber() + " has a negative price");
            }
            if (!seen.add(s.seatNumber())) {
                throw new InvalidSeatMapException("seat " + s.seatNumber() + " is listed twice");
            }
            numbers[i] = s.seatNumber();
            prices[i] = s.price();
        }
        return new SeatMap(numbers, prices);
    }

    public int size() {
        return seatNumbers.length;
    }

    public long minPrice() {
        return Arrays.stream(prices).min().orElseThrow();
    }

    public long maxPrice() {
        return Arrays.stream(prices).max().orElseThrow();
    }

    public int[] seatNumbers() {
        return seatNumbers.clone();
    }

    public long[] prices() {
        return prices.clone();
    }
}
