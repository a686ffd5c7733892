package io.concertticket.queue.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.concertticket.queue.application.TokenView;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.UUID;

/** A queue token as its owner sees it. {@code accessToken} and {@code expiresAt} appear once ACTIVE. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenResponse(
        UUID token,
        long concertId,
        @Schema(enumeration = {"WAITING", "ACTIVE", "EXPIRED"}) String status,
        @Schema(description = "1-based place among those still waiting; 0 once no longer waiting") long position,
        long estimatedWaitSeconds,
        @Schema(description = "when to poll again; absent once EXPIRED") Long pollAfterSeconds,
        @Schema(description = "JWT (RS256) to present to the reservation APIs, while ACTIVE") String accessToken,
        Instant expiresAt,
        @Schema(enumeration = {"TIMEOUT", "PAYMENT_COMPLETED", "ABANDONED"}) String reason) {

    static TokenResponse of(TokenView v) {
        return new TokenResponse(v.token(), v.concertId(), v.status().publicName(), v.position(), v.estimatedWaitSeconds(),
                v.pollAfterSeconds(), v.accessToken(), v.expiresAt(), v.reason() == null ? null : v.reason().name());
    }
}
