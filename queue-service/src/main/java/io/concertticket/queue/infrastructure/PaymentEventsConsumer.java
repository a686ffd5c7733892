package io.concertticket.queue.infrastructure;

import io.concertticket.events.EventChannel;
import io.concertticket.events.EventConsumerSupport;
import io.concertticket.queue.application.ExpireTokenOnPayment;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/** payment.payment-events → the use case; poison messages go to queue-service.dead-letter (see application.properties). */
@ApplicationScoped
public class PaymentEventsConsumer implements EventChannel {

    private final EventConsumerSupport support;
    private final ExpireTokenOnPayment expireOnPayment;

    PaymentEventsConsumer(EventConsumerSupport support, ExpireTokenOnPayment expireOnPayment) {
        this.support = support;
        this.expireOnPayment = expireOnPayment;
    }

    @Override
    public String channel() {
        return "payment-events";
    }

    @Override
    @Incoming("payment-events")
    @Blocking
    public CompletionStage<Void> on(Message<String> message) {
        return support.handle(message, expireOnPayment::apply);
    }
}
