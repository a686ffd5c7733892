package io.concertticket.concert.infrastructure;

import io.concertticket.concert.application.ApplyPaymentEvent;
import io.concertticket.events.EventChannel;
import io.concertticket.events.EventConsumerSupport;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/** {@code payment.payment-events} → {@link ApplyPaymentEvent}; poison messages go to concert-service.dead-letter. */
@ApplicationScoped
public class PaymentEventsConsumer implements EventChannel {

    private final EventConsumerSupport support;
    private final ApplyPaymentEvent apply;

    PaymentEventsConsumer(EventConsumerSupport support, ApplyPaymentEvent apply) {
        this.support = support;
        this.apply = apply;
    }

    @Override
    public String channel() {
        return "payment-events";
    }

    @Override
    @Incoming("payment-events")
    @Blocking
    public CompletionStage<Void> on(Message<String> message) {
        return support.handle(message, apply::apply);
    }
}
