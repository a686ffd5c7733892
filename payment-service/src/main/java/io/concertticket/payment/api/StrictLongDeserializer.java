package io.concertticket.payment.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;

import java.io.IOException;

/**
 * Points are whole numbers: Jackson would otherwise turn 1.5 into 1 or "10" into 10, silently
 * charging something other than what the client wrote. Anything but a JSON integer within the
 * int64 range is a 400 naming the field.
 */
public class StrictLongDeserializer extends JsonDeserializer<Long> {

    @Override
    public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            return (Long) ctxt.handleUnexpectedToken(Long.class, p.currentToken(), p,
                    "expected a whole number within the 64-bit range");
        }
        return p.getLongValue();
    }
}
