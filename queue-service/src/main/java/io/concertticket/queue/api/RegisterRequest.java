package io.concertticket.queue.api;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /api/v1/queue/tokens}. Checked by the domain rules, which name the failing field. */
public record RegisterRequest(
        @Schema(description = "the concert whose waiting room to join", example = "42", minimum = "1", required = true)
        @JsonDeserialize(using = IntegralNumberDeserializer.class)
        Long concertId,
        @Schema(description = "the user (letters, digits and . _ @ : -, at most 64)", example = "user-7", maxLength = 64, required = true)
        String userId) {
}
