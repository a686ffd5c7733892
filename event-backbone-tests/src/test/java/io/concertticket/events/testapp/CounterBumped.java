package io.concertticket.events.testapp;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.concertticket.events.Event;

/**
 * Payload v1 of the test event: the key's bump count after this transaction ({@code n}) and an amount. Tests
 * publish it to topics of their own, so the topic travels with the record but is not part of {@code data}.
 */
public record CounterBumped(String key, int n, long amount, @JsonIgnore String topic) implements Event {

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public String subject() {
        return "counter/" + key;
    }
}
