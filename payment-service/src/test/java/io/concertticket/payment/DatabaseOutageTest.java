package io.concertticket.payment;

import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.infra.testing.SharedInfrastructure;
import io.concertticket.testing.LongScenario;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * payment-service's database away for longer than the old retry budget (30 attempts) while SeatHeld events keep
 * arriving: none is dead-lettered, a wallet request answers 503 meanwhile (not 500), and once the database is back
 * every reservation becomes payable and a payment goes through. The back-off is capped at 200 ms in tests.
 */
@QuarkusTest
@LongScenario
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "payment"))
class DatabaseOutageTest extends PaymentTestBase {

    @Inject
    MeterRegistry meters;

    @Test
    void seatHeldEventsArrivingWhileTheDatabaseIsAwayAreAppliedAfterItReturnsAndNoneIsDeadLettered() throws Exception {
        String user = TestSupport.newUserId();
        charge(user, 10_000);
        List<Long> reservations = new ArrayList<>();
        double failuresBefore = failures();
        databaseAccepting(false);
        try {
            for (int i = 0; i < 30; i++) {
                long id = TestSupport.newReservationId();
                reservations.add(id);
                TestSupport.seatHeld(id, user, 100, Instant.now().plusSeconds(600));
            }
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> failures() - failuresBefore > 30);
            TestSupport.Reply duringOutage = TestSupport.charge(base(), user, 1, null);
            assertThat(duringOutage.status()).as("%s", duringOutage.body()).isEqualTo(503);
            assertThat(duringOutage.body()).contains("\"status\":503");
        } finally {
            databaseAccepting(true);
        }
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> count("SELECT count(*) FROM payable_reservation WHERE user_id = ?", user) == reservations.size());
        Set<String> keys = reservations.stream().map(String::valueOf).collect(Collectors.toSet());
        assertThat(TestSupport.readAll("payment-service.dead-letter")).noneMatch(r -> keys.contains(r.key()));
        TestSupport.Reply paid = TestSupport.pay(base(), user, reservations.get(0), null);
        assertThat(paid.status()).as("%s", paid.body()).isEqualTo(200);
        assertThat(TestSupport.balance(ds, user)).isEqualTo(9_900);
    }

    private double failures() {
        return meters.find("events.consumer.failures").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /** The payment database takes connections or not (closing the open ones): an outage as the service sees it. */
    private static void databaseAccepting(boolean accepting) throws Exception {
        try (Connection c = DriverManager.getConnection(SharedInfrastructure.get().jdbcUrl("postgres"), "postgres", "postgres");
             Statement st = c.createStatement()) {
            st.execute("ALTER DATABASE payment ALLOW_CONNECTIONS " + accepting);
            if (!accepting) {
                st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'payment' AND pid <> pg_backend_pid()");
            }
        }
    }
}
