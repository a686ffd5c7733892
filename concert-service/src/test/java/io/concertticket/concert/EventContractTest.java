package io.concertticket.concert;

import io.concertticket.concert.support.ConcertApi;
import io.concertticket.concert.support.Tokens;
import io.concertticket.concert.support.ConcertApi.Fixture;
import io.concertticket.concert.support.Db;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.testing.EventContract;
import io.concertticket.testing.KafkaTestConsumer;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every event concert-service really writes to Kafka conforms to asyncapi.yaml at the repository root,
 * so the published contract cannot drift from the code: the events are produced through the real API and
 * the real consumer of payment-service's PaymentWindowClosed, and read back with a plain consumer, the way an
 * outside team would.
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "concert"))
class EventContractTest {

    static final String TOPIC = "concert.reservation-events";

    @Inject
    Db db;

    @Test
    void everyReservationEventTheServiceWritesConformsToTheAsyncApiContract() {
        EventContract contract = EventContract.load();
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        try (KafkaTestConsumer topic = KafkaTestConsumer.fromEnd(bootstrap, TOPIC)) {
            Fixture f = ConcertApi.openSchedule(2, 45_000);
            // one hold that stays (SeatHeld), one that runs out (SeatHeld, then ReservationExpired once payment-service
            // closed its payment window)
            long kept = hold(ConcertApi.newUser(), f, 1);
            String expiring = ConcertApi.newUser();
            long expired = hold(expiring, f, 2);
            db.expireNow(expired);
            io.concertticket.concert.support.Kafka.send("payment.payment-events", Long.toString(expired),
                    HoldExpiryTest.windowClosed(java.util.UUID.randomUUID(), expired, expiring));
            Set<String> ours = Set.of(Long.toString(kept), Long.toString(expired));

            // waits a little longer, so that an unexpected extra event of ours is checked too
            List<ConsumerRecord<String, String>> produced = topic.awaitSettled(ours, 3, Duration.ofSeconds(60), Duration.ofSeconds(2));

            assertThat(contract.brokenRecords(produced)).as("records that break " + contract.file()).isEmpty();

            Map<String, List<String>> typesByKey = EventContract.typesByKey(produced);
            assertThat(typesByKey).containsOnly(
                    Map.entry(Long.toString(kept), List.of("SeatHeld")),
                    Map.entry(Long.toString(expired), List.of("SeatHeld", "ReservationExpired")));
            // the test covers every message the contract declares on this topic
            assertThat(new TreeSet<>(typesByKey.get(Long.toString(expired)))).isEqualTo(new TreeSet<>(contract.messageTypes(TOPIC)));
        }
    }


    private static long hold(String user, Fixture f, int seatNumber) {
        ConcertApi.Reply reply = ConcertApi.hold(Tokens.admitted(user, f.concertId()), f.scheduleId(), seatNumber);
        assertThat(reply.status()).as("hold of seat " + seatNumber + ": " + reply.body()).isEqualTo(201);
        return reply.body().path("reservationId").asLong();
    }
}
