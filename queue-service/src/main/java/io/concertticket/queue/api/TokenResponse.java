package io.concertticket.queue.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.concertticket.queue.application.TokenView;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.UUID;

/**
 * A queue token as its owner sees it. {@code accessToken} and {@code expiresAt} appear once ACTIVE; {@code ahead},
 * {@code waitTimeKnown} and {@code admission} while WAITING.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenResponse(
        UUID token,
        long concertId,
        @Schema(enumeration = {"WAITING", "ACTIVE", "EXPIRED"}) String status,
        @Schema(description = "1-based place among those still waiting; 0 once no longer waiting") long position,
        @Schema(description = "people ahead in line (position - 1), while waiting") Long ahead,
        @Schema(description = "seconds until admission at the rate admission has actually achieved for this sale lately; "
                + "absent while waitTimeKnown is false; 0 once no longer waiting") Long estimatedWaitSeconds,
        @Schema(description = "while waiting: whether estimatedWaitSeconds can be given; false while admission is paused or "
                + "stopped and before any admission has been observed") Boolean waitTimeKnown,
        @Schema(description = "while waiting: whether the sale admits (RUNNING) or an operator holds it (PAUSED, STOPPED)",
                enumeration = {"RUNNING", "PAUSED", "STOPPED"}) String admission,
        @Schema(description = "when to poll again; longer for a long wait and for a line that has not moved; absent once EXPIRED")
        Long pollAfterSeconds,
        @Schema(description = "JWT (RS256) to present to the reservation APIs, while ACTIVE") String accessToken,
        Instant expiresAt,
        @Schema(enumeration = {"TIMEOUT", "PAYMENT_COMPLETED", "ABANDONED", "ENDED_BY_OPERATOR", "SALE_CLOSED"}) String reason,
        @Schema(description = "true while waiting in the sale's pre-queue: no place yet (position 0) until the opening") Boolean preQueue,
        @Schema(description = "the opening, while in the pre-queue (waitTimeKnown is false until then)") Instant saleOpensAt) {

    static TokenResponse of(TokenView v) {
        boolean waiting = v.waitTimeKnown() != null;
        boolean preQueue = v.preQueueUntil() != null;
        return new TokenResponse(v.token(), v.concertId(), v.status().publicName(), v.position(),
                waiting && !preQueue ? Math.max(0, v.position() - 1) : null,
                waiting && !v.waitTimeKnown() ? null : v.estimatedWaitSeconds(),
                v.waitTimeKnown(), v.admission() == null ? null : v.admission().name(),
                v.pollAfterSeconds(), v.accessToken(), v.expiresAt(), v.reason() == null ? null : v.reason().name(),
                preQueue ? Boolean.TRUE : null, v.preQueueUntil());
    }
}
