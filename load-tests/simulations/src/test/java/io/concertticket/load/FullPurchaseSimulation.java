package io.concertticket.load;

import io.concertticket.testing.PlatformAdmin;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * Full purchase, end to end through the gateway, one signed-in account per virtual user: register →
 * polled until admitted → charge points → list seats → hold a free one (another on 409) → pay right
 * after the hold. Every user must end with a COMPLETED payment; afterwards the lag from each hold to
 * payment-service's payable reservation is read from both databases. The accounts ({@code purchase.users}
 * of them) are created and signed in before the scenario starts ({@link LoadAccounts}).
 *
 * <pre>
 * ./mvnw -Pload -pl load-tests/simulations gatling:test \
 *     -Dgatling.simulationClass=io.concertticket.load.FullPurchaseSimulation -Dpurchase.users=500 -Dpurchase.rampSeconds=30
 * </pre>
 */
public class FullPurchaseSimulation extends Simulation {

    private static final long PRICE = 7000;
    private static final AtomicInteger PAID = new AtomicInteger();

    private final int users = LoadSettings.intProperty("purchase.users", 500);
    private final Duration ramp = LoadSettings.seconds("purchase.rampSeconds", 30);
    private final Duration maxAdmissionWait = LoadSettings.seconds("purchase.maxAdmissionSeconds", 120);
    private final int maxHoldAttempts = LoadSettings.intProperty("purchase.maxHoldAttempts", 10);
    private final String run = LoadSettings.runId();
    private final PlatformAdmin admin = LoadAccounts.platformAdmin();
    private final PlatformAdmin.Schedule schedule;

    {
        // more seats than buyers: everyone can buy one, but random picks still collide now and then
        int seats = users + users / 5 + 10;
        schedule = admin.concertWithSchedule("Full purchase " + run, seats, PRICE);
        System.out.printf("FullPurchase: concert %d schedule %d, %d seats, %d users over %s%n",
                schedule.concertId(), schedule.scheduleId(), seats, users, ramp);

        List<LoadAccounts.Identity> buyers = LoadAccounts.signedIn("FullPurchase", users);

        ScenarioBuilder purchase = scenario("full purchase")
                .feed(LoadAccounts.eachOnce(buyers))
                .exec(session -> session.set("concertId", schedule.concertId())
                        .set("scheduleId", schedule.scheduleId()).set("held", false).set("soldOut", false)
                        .set("holdAttempts", 0))
                .exec(QueueSteps.register())
                .exec(QueueSteps.pollUntilActive(maxAdmissionWait))
                .doIf(session -> !QueueSteps.isActive(session)).then(exec(session -> session.markAsFailed()).exitHere())
                // the wallet by the account's sub; idempotency keys per run, as the accounts are reused
                .exec(QueueSteps.charge(PRICE, "charge-" + run + "-#{sub}"))
                .asLongAs(session -> !session.getBoolean("held") && !session.getBoolean("soldOut")
                        && session.getInt("holdAttempts") < maxHoldAttempts)
                .on(exec(session -> session.set("holdAttempts", session.getInt("holdAttempts") + 1))
                        .exec(QueueSteps.chooseFreeSeat())
                        .doIf(session -> !session.getBoolean("soldOut"))
                        .then(exec(QueueSteps.hold()
                                .check(status().in(201, 409).saveAs("holdStatus"),
                                        jsonPath("$.reservationId").ofLong().optional().saveAs("reservationId")))
                                .exitHereIfFailed()
                                .exec(session -> session.set("held", session.getInt("holdStatus") == 201))))
                .exec(QueueSteps.pay("pay-" + run + "-#{sub}"))
                .exec(session -> {
                    PAID.incrementAndGet();
                    return session;
                });

        setUp(purchase.injectOpen(rampUsers(users).during(ramp)))
                .protocols(QueueSteps.gateway())
                .maxDuration(ramp.plus(maxAdmissionWait).plus(Duration.ofMinutes(3)))
                .assertions(
                        global().failedRequests().count().is(0L),
                        // at least one successful "pay" per user: a 503 the client was told to retry passes its
                        // request's checks too (RetryAfter), and a user who ends without paying fails the run
                        details("pay").successfulRequests().count().gte((long) users));
    }

    @Override
    public void after() {
        System.out.printf("FullPurchase: %d of %d users paid%n", PAID.get(), users);
        System.out.println("FullPurchase: told to retry (429/503, then honoured): " + RetryAfter.summary());
        System.out.println("FullPurchase: concert-service says " + admin.scheduleOverview(schedule.scheduleId()));
        EventLag.report("FullPurchase", schedule.scheduleId());
    }
}
