package io.concertticket.queue.api;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code POST /api/v1/queue/tokens}. Checked by the domain rules, which name the failing field.
 * The user is always the signed-in account; {@code userId} is only accepted as a check.
 */
public record RegisterRequest(
        @Schema(description = "the concert whose waiting room to join", example = "42", minimum = "1", required = true)
        @JsonDeserialize(using = IntegralNumberDeserializer.class)
        Long concertId,
        @Schema(description = "optional; if present it must be the signed-in account (403 `not-your-account` otherwise)",
                example = "7f9c4f5e-1b2a-4c3d-9e8f-0a1b2c3d4e5f")
        String userId) {
}
