package io.concertticket.events;

import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/**
 * A service's {@code @Incoming} handler of events, named by its channel, so that {@link DeadLetterReplay}
 * can hand a dead letter back to the very code that refused it (after a fix, that code accepts it).
 */
public interface EventChannel {

    /** The channel name, as in {@code mp.messaging.incoming.<channel>.*}. */
    String channel();

    /** Applies one record and settles it (see {@link EventConsumerSupport#handle}). */
    CompletionStage<Void> on(Message<String> message);
}
