package io.concertticket.e2e.harness;

/**
 * Service bugs the end-to-end tests found, so the parts of the scenarios that depend on them can be
 * switched off in one place (and back on when the fix lands) while everything else keeps running.
 */
public final class KnownBugs {

    /**
     * queue-service: its payment-events channel lacks {@code mp.messaging.incoming.payment-events.cloud-events=false},
     * so SmallRye parses the structured CloudEvent and hands {@code PaymentEventsConsumer#on(String)} a
     * JsonObject: every PaymentCompleted fails with ClassCastException and is dead-lettered, no queue token
     * ever expires on payment, no TokenExpired is published and the gateway never revokes a used-up access
     * token. Fixed by event-backbone 865ed58 (cloud-events=false for every channel); kept as the switch
     * for the checks that depend on it.
     */
    public static final boolean TOKENS_EXPIRE_ON_PAYMENT = true;

    public static final String QUEUE_IGNORES_PAYMENT_COMPLETED = "queue-service bug (KnownBugs.TOKENS_EXPIRE_ON_PAYMENT): "
            + "its payment-events channel lacks cloud-events=false, so every PaymentCompleted fails with ClassCastException "
            + "and is dead-lettered; no token expires on payment";

    private KnownBugs() {
    }
}
