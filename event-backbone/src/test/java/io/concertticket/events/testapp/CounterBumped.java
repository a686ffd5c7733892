package io.concertticket.events.testapp;

/** Payload v1 of the test event: the key's bump count after this transaction ({@code n}) and an amount. */
public record CounterBumped(String key, int n, long amount) {
}
