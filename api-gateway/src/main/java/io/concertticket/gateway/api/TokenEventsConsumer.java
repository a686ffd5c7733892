package io.concertticket.gateway.api;

import io.concertticket.gateway.application.RevocationReplay;
import io.concertticket.gateway.application.RevokeTokenOnExpiry;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code queue.token-events}. Every gateway replica needs every event, so each one joins its
 * own consumer group and replays the recent past at start (see {@link RevocationReplay}); the work per
 * event is a map update, done on the messaging event loop.
 */
@ApplicationScoped
public class TokenEventsConsumer {

    private final RevokeTokenOnExpiry revokeTokenOnExpiry;
    private final RevocationReplay replay;

    public TokenEventsConsumer(RevokeTokenOnExpiry revokeTokenOnExpiry, RevocationReplay replay) {
        this.revokeTokenOnExpiry = revokeTokenOnExpiry;
        this.replay = replay;
    }

    @Incoming("token-events")
    public void on(ConsumerRecord<String, String> record) {
        try {
            revokeTokenOnExpiry.apply(record.value());
        } finally {
            replay.consumed(record.partition(), record.offset());
        }
    }
}
