package io.concertticket.gateway.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concertticket.gateway.domain.RevokedTokens;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.UUID;

/**
 * Applies one event of {@code queue.token-events} (a CloudEvents JSON document): {@code TokenExpired}
 * revokes the access token of that queue token, whatever its {@code exp} says (a token is expired early
 * after payment). {@code TokenActivated} needs nothing. Anything unparseable, of an unknown type or of an
 * unknown payload version is refused with {@link UnusableEventException}, which dead-letters it.
 *
 * <p>Idempotent by nature (revoking twice is revoking once), so no inbox is needed — and the gateway has
 * no database: every replica rebuilds this state by replaying the topic from its start.
 */
@ApplicationScoped
public class RevokeTokenOnExpiry {

    private static final Logger LOG = Logger.getLogger(RevokeTokenOnExpiry.class);

    private final ObjectMapper mapper;
    private final RevokedTokens revoked;
    private final long retentionMillis;

    public RevokeTokenOnExpiry(ObjectMapper mapper, RevokedTokens revoked, UseCaseSettings config) {
        this.mapper = mapper;
        this.revoked = revoked;
        this.retentionMillis = config.revocation().retention().toMillis();
    }

    public void apply(String message) {
        JsonNode event;
        try {
            event = message == null ? null : mapper.readTree(message);
        } catch (Exception e) {
            throw new UnusableEventException("not a CloudEvents JSON document: " + e.getMessage());
        }
        if (event == null || !event.isObject() || !"1.0".equals(event.path("specversion").asText())
                || !event.path("type").isTextual() || !event.path("data").isObject()) {
            throw new UnusableEventException("missing specversion 1.0, type or data");
        }
        String type = event.get("type").asText();
        switch (type) {
            case "TokenActivated" -> { /* nothing to do: a token is valid from its signature */ }
            case "TokenExpired" -> revoke(event);
            default -> throw new UnusableEventException("unknown event type " + type);
        }
    }

    private void revoke(JsonNode event) {
        int version = event.path("dataversion").asInt(1);
        if (version != 1) {
            throw new UnusableEventException("TokenExpired dataversion " + version + " is not supported");
        }
        JsonNode data = event.get("data");
        String tokenId;
        Instant expiredAt;
        try {
            tokenId = UUID.fromString(data.path("tokenId").asText()).toString().toLowerCase(Locale.ROOT);
            expiredAt = data.hasNonNull("expiredAt") ? Instant.parse(data.get("expiredAt").asText()) : Instant.now();
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new UnusableEventException("TokenExpired payload does not match its schema: " + e.getMessage());
        }
        // The token was issued before it expired, so it cannot outlive expiredAt + the longest lifetime.
        revoked.revoke(tokenId, expiredAt.toEpochMilli() + retentionMillis);
        LOG.debugf("Access token of queue token %s revoked (%s)", tokenId, data.path("reason").asText("?"));
    }

    /** An event this consumer cannot use; the messaging layer dead-letters it with this message. */
    public static final class UnusableEventException extends RuntimeException {
        public UnusableEventException(String message) {
            super(message);
        }
    }
}
