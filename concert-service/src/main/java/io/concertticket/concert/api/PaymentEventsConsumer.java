package io.concertticket.concert.api;

import io.concertticket.concert.application.ApplyPaymentEvent;
import io.concertticket.events.EventChannel;
import io.concertticket.events.EventConsumerSupport;
import io.concertticket.events.EventTopic;
import io.concertticket.events.PoisonEventException;
import io.concertticket.events.contract.PaymentEvents.PaymentCompleted;
import io.concertticket.events.contract.PaymentEvents.PaymentRefunded;
import io.concertticket.events.contract.PaymentEvents.PaymentWindowClosed;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/**
 * The inbound adapter of {@code payment.payment-events}: PaymentCompleted and PaymentWindowClosed (version 1)
 * checked and handed to {@link ApplyPaymentEvent} once per event id; PaymentRefunded concerns payment-service
 * only. Poison messages go to concert-service.dead-letter.
 */
@ApplicationScoped
public class PaymentEventsConsumer implements EventChannel {

    private final EventTopic decisions;

    PaymentEventsConsumer(EventConsumerSupport events, ApplyPaymentEvent apply) {
        this.decisions = events.topic("payment-events", "concert-service")
                .on(PaymentCompleted.class, 1,
                        (e, d) -> require(d.reservationId() != null && d.userId() != null && d.paidAt() != null,
                                "PaymentCompleted without reservationId, userId or paidAt"),
                        (e, d) -> apply.paymentCompleted(d))
                .on(PaymentWindowClosed.class, 1,
                        (e, d) -> require(d.reservationId() != null && d.userId() != null && d.closedAt() != null,
                                "PaymentWindowClosed without reservationId, userId or closedAt"),
                        (e, d) -> apply.paymentWindowClosed(d))
                .skip(PaymentRefunded.class) // payment-service's own bookkeeping
                .build();
    }

    @Override
    public String channel() {
        return decisions.channel();
    }

    @Override
    @Incoming("payment-events")
    @Blocking
    public CompletionStage<Void> on(Message<String> message) {
        return decisions.handle(message);
    }

    private static void require(boolean ok, String reason) {
        if (!ok) {
            throw new PoisonEventException(reason);
        }
    }
}
