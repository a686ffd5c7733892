package io.concertticket.load;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

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
 * Clients behave as real ones should: told to wait (429, or 503 with {@code Retry-After}), they come back
 * when asked ({@link RetryAfter}, up to {@code load.maxAttempts} attempts). Passes only with zero failed
 * requests: every registration 201 (200 when a retried one had gone through), every poll 200 with WAITING
 * or ACTIVE; a refusal that outlasts the attempts, or any other status, fails the run. The refusals the
 * clients honoured are printed at the end.
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
    private final List<Long> concertIds = new ArrayList<>();

    {
        // one room per pool of users, and one to spare for Gatling's rounding (an unused room costs nothing)
        int rooms = expectedUsers / pool + 1;
        PlatformAdmin admin = new PlatformAdmin(LoadSettings.baseUrl());
        String run = LoadSettings.runId();
        for (int r = 1; r <= rooms; r++) {
            concertIds.add(admin.concertWithSchedule("Queue surge " + run + " room " + r, 10, 1000).concertId());
        }
        List<LoadAccounts.Identity> accounts = LoadAccounts.signedIn("QueueSurge", pool);
        System.out.printf("QueueSurge: concerts %s, %d → %d new users/s over %s, then %s (≈ %d users; %d accounts, "
                        + "so up to %d users per concert); polls up to %s each%n",
                concertIds, startUsersPerSecond, peakUsersPerSecond, ramp, hold, expectedUsers, pool, pool, maxPoll);

        ScenarioBuilder surge = scenario("queue surge")
                .feed(LoadAccounts.acrossConcerts(accounts, concertIds))
                .exec(QueueSteps.register())
                .exitHereIfFailed()
                .exec(QueueSteps.pollUntilActive(maxPoll));

        setUp(surge.injectOpen(
                rampUsersPerSec(startUsersPerSecond).to(peakUsersPerSecond).during(ramp),
                constantUsersPerSec(peakUsersPerSecond).during(hold)))
                .protocols(QueueSteps.gatewaySharedConnections())
                .maxDuration(ramp.plus(hold).plus(maxPoll).plus(Duration.ofSeconds(60)))
                .assertions(
                        global().failedRequests().count().is(0L),
                        global().successfulRequests().count().gt(0L));
    }

    @Override
    public void after() {
        System.out.println("QueueSurge: told to retry (429/503, then honoured): " + RetryAfter.summary());
    }
}
