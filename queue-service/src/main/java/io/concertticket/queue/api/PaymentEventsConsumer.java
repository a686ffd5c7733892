package io.concertticket.queue.api;

import io.concertticket.events.EventChannel;
import io.concertticket.events.EventConsumerSupport;
import io.concertticket.events.EventTopic;
import io.concertticket.events.PoisonEventException;
import io.concertticket.events.contract.PaymentEvents.PaymentCompleted;
import io.concertticket.events.contract.PaymentEvents.PaymentRefunded;
import io.concertticket.events.contract.PaymentEvents.PaymentWindowClosed;
import io.concertticket.queue.application.ExpireTokenOnPayment;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/**
 * The inbound adapter of payment.payment-events: PaymentCompleted (version 1) checked and handed to
 * {@link ExpireTokenOnPayment} once per event id; PaymentRefunded and PaymentWindowClosed are known and of no
 * use to the queue (an unpaid admission simply times out). Poison goes to queue-service.dead-letter.
 */
@ApplicationScoped
public class PaymentEventsConsumer implements EventChannel {

    private final EventTopic payments;

    PaymentEventsConsumer(EventConsumerSupport events, ExpireTokenOnPayment expireOnPayment) {
        this.payments = events.topic("payment-events", "queue-service")
                .on(PaymentCompleted.class, 1, (e, paid) -> {
                    if (paid.userId() == null || paid.concertId() == null) {
                        throw new PoisonEventException("PaymentCompleted without userId or concertId");
                    }
                    if (paid.admissionTokenId() == null) {
                        throw new PoisonEventException(
                                "PaymentCompleted without admissionTokenId: no queue token can be told to be the one that paid");
                    }
                }, (e, paid) -> expireOnPayment.apply(paid))
                .skip(PaymentRefunded.class, PaymentWindowClosed.class)
                .build();
    }

    @Override
    public String channel() {
        return payments.channel();
    }

    @Override
    @Incoming("payment-events")
    @Blocking
    public CompletionStage<Void> on(Message<String> message) {
        return payments.handle(message);
    }
}
