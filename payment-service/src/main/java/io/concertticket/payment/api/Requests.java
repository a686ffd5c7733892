package io.concertticket.payment.api;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/** Request bodies. Limits that come from configuration are checked by the domain, not here. */
public final class Requests {

    private Requests() {
    }

    public record ChargeRequest(
            @NotNull @JsonDeserialize(using = StrictLongDeserializer.class) Long amount) {
    }

    public record PayRequest(
            @NotNull @Positive @JsonDeserialize(using = StrictLongDeserializer.class) Long reservationId) {
    }
}
