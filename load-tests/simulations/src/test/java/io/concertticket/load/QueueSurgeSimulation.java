package io.concertticket.load;

import io.concertticket.testing.PlatformAdmin;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

import io.gatling.javaapi.core.ChainBuilder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * Queue surge: a ramp of new signed-in users registering for a concert's waiting room, each then polling
 * at the interval the API tells it ({@code pollAfterSeconds}) until admitted or until it gives up.
 *
 * <pre>
 * ./mvnw -Pload -pl load-tests/simulations gatling:test \
 *     -Dgatling.simulationClass=io.concertticket.load.QueueSurgeSimulation \
 *     -Dsurge.peakUsersPerSecond=300 -Dsurge.rampSeconds=20 -Dsurge.holdSeconds=30 -Dsurge.maxPollSeconds=60
 * </pre>
 *
 * <b>Accounts: a bounded pool.</b> The default surge is about 12,500 users, and an account takes one place
 * per concert. Signing 12,500 accounts in would take about 10 minutes on the 2-core machine (the password
 * grant runs at ~20 sign-ins/s: Keycloak's password hashing), most of the 15-minute token lifetime, and
 * creating them another ~6 minutes the first time. So the run signs in at most {@code surge.accounts}
 * accounts (default 5,000: ~2.5 min to create the first time, ~4 min to sign in, before the scenario) and
 * spreads the users over as many concerts as needed, one after another: user {@code i} is account
 * {@code i mod pool} in concert {@code i / pool}, so no account takes two places in one concert. The
 * gateway and queue-service see the same registrations per second as with one room, and a poll's cost does
 * not depend on the line's length (ceilings: 100,000 waiting vs 10); what differs is that each room admits
 * its own {@code QUEUE_ADMISSION_MAX_ACTIVE_PER_CONCERT} (1,000) users, who then stop polling: about 3,000
 * of 12,500 instead of 1,000, so somewhat fewer polls than with one room. {@code -Dsurge.accounts=13000}
 * gives the single room of before, at the price of the long sign-in (tokens about to expire are signed in
 * again inside the run, as the request {@code re-sign-in}).
 *
 * <b>Every admitted user buys.</b> A user whose turn comes charges its wallet, holds its own seat and pays:
 * each concert has a seat for every account of the pool, and user {@code i}'s seat is {@code i mod pool + 1},
 * so no two users of a concert want the same seat and every admitted user must end with a COMPLETED payment
 * (no seat listing: a 5,000-seat list per buyer would measure the load generator's JSON parsing). Users
 * not admitted within {@code surge.maxPollSeconds} give up, as people do.
 *
 * <p>Clients behave as real ones should: told to wait (429, or 503 with {@code Retry-After}), they come back
 * when asked ({@link RetryAfter}, up to {@code load.maxAttempts} attempts), the hold included: the seat is the
 * user's own, so a 409 after a repeated hold can only be its own earlier attempt having gone through (a 503
 * for a timed-out answer), and the user then finds that reservation among its own
 * ({@code GET /api/v1/reservations}). Passes only with zero failed requests: every registration 201 (200 when
 * a retried one had gone through), every poll 200 with WAITING or ACTIVE, every admitted user's charge 200,
 * hold 201 (or its own reservation found), payment 200 COMPLETED; a refusal that outlasts the attempts, or
 * any other status, fails the run. The refusals the clients honoured and admitted/paid are printed at the end.
 */
public class QueueSurgeSimulation extends Simulation {

    private final int startUsersPerSecond = LoadSettings.intProperty("surge.startUsersPerSecond", 50);
    private final int peakUsersPerSecond = LoadSettings.intProperty("surge.peakUsersPerSecond", 300);
    private final Duration ramp = LoadSettings.seconds("surge.rampSeconds", 20);
    private final Duration hold = LoadSettings.seconds("surge.holdSeconds", 30);
    private final Duration maxPoll = LoadSettings.seconds("surge.maxPollSeconds", 60);
    /** Users the injection profile starts (a linear ramp, then constant), as Gatling counts them, give or take one. */
    private final int expectedUsers = (int) Math.ceil((startUsersPerSecond + peakUsersPerSecond) / 2.0 * ramp.toSeconds()
            + (double) peakUsersPerSecond * hold.toSeconds());
    private final int pool = Math.max(1, Math.min(expectedUsers, LoadSettings.intProperty("surge.accounts", 5000)));
    private static final long PRICE = 1000;
    private static final AtomicInteger ADMITTED = new AtomicInteger();
    private static final AtomicInteger PAID = new AtomicInteger();

    private final List<PlatformAdmin.Schedule> schedules = new ArrayList<>();

    {
        // one room per pool of users, and one to spare for Gatling's rounding (an unused room costs nothing)
        int rooms = expectedUsers / pool + 1;
        PlatformAdmin admin = LoadAccounts.platformAdmin();
        String run = LoadSettings.runId();
        for (int r = 1; r <= rooms; r++) {
            // a seat for every account of the pool: every admitted user can buy
            schedules.add(admin.concertWithSchedule("Queue surge " + run + " room " + r, pool, PRICE));
        }
        List<LoadAccounts.Identity> accounts = LoadAccounts.signedIn("QueueSurge", pool);
        System.out.printf("QueueSurge: concerts %s, %d → %d new users/s over %s, then %s (≈ %d users; %d accounts, "
                        + "so up to %d users per concert); polls up to %s each%n",
                schedules.stream().map(PlatformAdmin.Schedule::concertId).toList(), startUsersPerSecond, peakUsersPerSecond, ramp, hold, expectedUsers, pool, pool, maxPoll);

        ScenarioBuilder surge = scenario("queue surge")
                .feed(LoadAccounts.acrossConcerts(accounts, schedules))
                .exec(QueueSteps.register())
                .exitHereIfFailed()
                .exec(QueueSteps.pollUntilActive(maxPoll))
                .doIf(QueueSteps::isActive).then(buy(run));

        setUp(surge.injectOpen(
                rampUsersPerSec(startUsersPerSecond).to(peakUsersPerSecond).during(ramp),
                constantUsersPerSec(peakUsersPerSecond).during(hold)))
                .protocols(QueueSteps.gatewaySharedConnections())
                // a safety stop only: long enough for the last admitted users to finish buying through a loaded
                // platform (three steps, each up to 8 tries), so the run never cuts a buyer off (it did with 2 min)
                .maxDuration(ramp.plus(hold).plus(maxPoll).plus(Duration.ofMinutes(6)))
                .assertions(
                        global().failedRequests().count().is(0L),
                        global().successfulRequests().count().gt(0L));
    }

    /**
     * An admitted user's purchase: charge, hold its own seat ({@code #{seatNumber}}), pay. Idempotency keys per
     * run and concert: an account buys once in each concert of the run.
     */
    private static ChainBuilder buy(String run) {
        return exec(session -> {
                    ADMITTED.incrementAndGet();
                    return session;
                })
                .exec(QueueSteps.charge(PRICE, "surge-charge-" + run + "-#{concertId}-#{sub}"))
                .exec(QueueSteps.freshIdentity())
                .exec(RetryAfter.send("hold", QueueSteps.hold(),
                        status().in(201, 409).saveAs("holdStatus"),
                        jsonPath("$.reservationId").ofLong().optional().saveAs("reservationId")))
                .exitHereIfFailed()
                // 409 for the user's own seat: an earlier attempt went through (its answer was lost to a 503)
                .doIf(session -> session.getInt("holdStatus") == 409)
                .then(exec(RetryAfter.send("my reservations", http("my reservations")
                                .get("/api/v1/reservations?size=100")
                                .header("Authorization", "Bearer #{identity}"),
                        status().is(200),
                        jsonPath("$.items[?(@.scheduleId == #{scheduleId})].reservationId").ofLong().saveAs("reservationId"))))
                .exitHereIfFailed()
                .exec(QueueSteps.pay("surge-pay-" + run + "-#{concertId}-#{sub}"))
                .exec(session -> {
                    PAID.incrementAndGet();
                    return session;
                });
    }

    @Override
    public void after() {
        System.out.printf("QueueSurge: %d users admitted, %d of them paid (%d did not: refused beyond their tries, "
                + "or still buying when the run stopped)%n", ADMITTED.get(), PAID.get(), ADMITTED.get() - PAID.get());
        System.out.println("QueueSurge: told to retry (429/503, then honoured): " + RetryAfter.summary());
    }
}
