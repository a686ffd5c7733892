package io.concertticket.concert.domain;

public record SeatView(long seatId, int seatNumber, long price, boolean available) {

    public SeatView(Long seatId, int seatNumber, long price, SeatStatus status) {
        this(seatId, seatNumber, price, status == SeatStatus.AVAILABLE);
    }
}
