package io.concertticket.payment.application;

/** A use case's result, and whether it is the replay of an earlier request with the same Idempotency-Key. */
public record Idempotent<T>(T result, boolean replayed) {
}
