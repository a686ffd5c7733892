package io.concertticket.queue.domain;

/** A room with people waiting whose current admission round it has not taken yet. */
public record DueRoom(long concertId, long round) {
}
