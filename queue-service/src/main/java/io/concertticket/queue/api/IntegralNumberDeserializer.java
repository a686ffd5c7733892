package io.concertticket.queue.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;

import java.io.IOException;

/**
 * Accepts only a JSON integer that fits a long. Jackson would otherwise quietly turn 1.9 into 1 or
 * "12" into 12; an id that is not an integer is the client's mistake and gets a 400 naming the field.
 */
public class IntegralNumberDeserializer extends JsonDeserializer<Long> {

    @Override
    public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            return (Long) ctxt.handleUnexpectedToken(Long.class, p);
        }
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw ctxt.weirdNumberException(p.getNumberValue(), Long.class, "too large");
        }
        return p.getLongValue();
    }
}
