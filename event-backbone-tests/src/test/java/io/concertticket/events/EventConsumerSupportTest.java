package io.concertticket.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.concertticket.testing.CloudEvents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** How a consumed record is settled (ack, dead letter, or left for redelivery); pure logic, no broker. */
class EventConsumerSupportTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ConsumerRetries retries = new ConsumerRetries(meters, config(Duration.ofMillis(1)));
    private final EventConsumerSupport support = new EventConsumerSupport(new ObjectMapper().registerModule(new JavaTimeModule()),
            config(Duration.ofMillis(1)), retries);
    private final List<String> settled = new CopyOnWriteArrayList<>();

    @Test
    void aRecordFailingFarMoreOftenThanAnyRetryBudgetIsAppliedOnceItCanBeAndNeverDeadLettered() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        CompletionStage<Void> done = support.handle(record(), e -> {
            if (attempts.incrementAndGet() <= 200) {
                throw new IllegalStateException("database unavailable");
            }
        });
        done.toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(attempts).hasValue(201);
        assertThat(settled).containsExactly("ack");
        assertThat(meters.counter("events.consumer.failures", "type", "CounterBumped").count()).isEqualTo(200);
        assertThat(retries.retrying()).isZero();
    }

    @Test
    void poisonIsDeadLetteredAtOnceEvenWhenWrappedInAnotherException() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        support.handle(record(), e -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("mapping failed", new PoisonEventException("payload lacks seatId"));
        }).toCompletableFuture().get(10, TimeUnit.SECONDS);
        support.handle(Message.of("{not json", this::ack, this::nack), e -> { }).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(attempts).hasValue(1);
        assertThat(settled).containsExactly("nack: payload lacks seatId", "nack: not a CloudEvents JSON document");
        assertThat(meters.counter("events.consumer.dead.letters", "type", "CounterBumped").count()).isEqualTo(1);
        assertThat(meters.counter("events.consumer.dead.letters", "type", "unreadable").count()).isEqualTo(1);
    }

    /**
     * What lost a SeatHeld before: the service stops while a record fails (its database connections
     * closing). The record must be neither acknowledged nor dead-lettered, so it is delivered again.
     */
    @Test
    void aRecordStillFailingWhenTheServiceStopsIsLeftForRedelivery() throws Exception {
        CountDownLatch failing = new CountDownLatch(3);
        CompletableFuture<Void> done = CompletableFuture.runAsync(() -> support.handle(record(), e -> {
            failing.countDown();
            throw new IllegalStateException("datasource closed");
        }).toCompletableFuture().join());
        assertThat(failing.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(retries.retrying()).isEqualTo(1);
        HealthCheckResponse warning = retries.report();
        assertThat(warning.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(warning.getData().orElseThrow()).containsEntry("retrying", 1L).containsEntry("last-error",
                "java.lang.IllegalStateException: datasource closed");

        support.onStop(null);
        done.get(10, TimeUnit.SECONDS);
        assertThat(settled).isEmpty();
        assertThat(retries.retrying()).isZero();
        assertThat(retries.report().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    private Message<String> record() {
        String json = CloudEvents.json("/test", "CounterBumped", "counter/k", Map.of("key", "k", "n", 1, "amount", 1));
        return Message.of(json, this::ack, this::nack);
    }

    private CompletionStage<Void> ack() {
        settled.add("ack");
        return CompletableFuture.completedFuture(null);
    }

    private CompletionStage<Void> nack(Throwable reason) {
        String message = reason.getMessage();
        settled.add("nack: " + (message.startsWith("not a CloudEvents") ? "not a CloudEvents JSON document" : message));
        return CompletableFuture.completedFuture(null);
    }

    private static EventBackboneConfig config(Duration maxBackoff) {
        EventBackboneConfig.Consumer consumer = new EventBackboneConfig.Consumer() {
            public Duration minBackoff() { return Duration.ofMillis(1); }
            public Duration maxBackoff() { return maxBackoff; }
            public Duration warnAfter() { return Duration.ZERO; }
            public Duration inboxRetention() { return Duration.ofDays(7); }
            public String inboxCleanupEvery() { return "off"; }
        };
        return new EventBackboneConfig() {
            public String source() { return "/test"; }
            public Relay relay() { return TestRelayConfig.defaults(); }
            public Consumer consumer() { return consumer; }
        };
    }
}
