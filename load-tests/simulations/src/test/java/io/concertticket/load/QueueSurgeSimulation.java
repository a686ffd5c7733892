package io.concertticket.load;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

import java.time.Duration;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * Queue surge: a ramp of new users registering for one concert's waiting room, each then polling at
 * the interval the API tells it ({@code pollAfterSeconds}) until admitted or until it gives up.
 *
 * <pre>
 * ./mvnw -Pload -pl load-tests/simulations gatling:test \
 *     -Dgatling.simulationClass=io.concertticket.load.QueueSurgeSimulation \
 *     -Dsurge.peakUsersPerSecond=300 -Dsurge.rampSeconds=20 -Dsurge.holdSeconds=30 -Dsurge.maxPollSeconds=60
 * </pre>
 *
 * Passes only with zero failed requests: every registration 201, every poll 200 with WAITING or ACTIVE
 * (so any 5xx, 429 or other status fails the run).
 */
public class QueueSurgeSimulation extends Simulation {

    private final int startUsersPerSecond = LoadSettings.intProperty("surge.startUsersPerSecond", 50);
    private final int peakUsersPerSecond = LoadSettings.intProperty("surge.peakUsersPerSecond", 300);
    private final Duration ramp = LoadSettings.seconds("surge.rampSeconds", 20);
    private final Duration hold = LoadSettings.seconds("surge.holdSeconds", 30);
    private final Duration maxPoll = LoadSettings.seconds("surge.maxPollSeconds", 60);
    private final long concertId;

    {
        concertId = new PlatformAdmin(LoadSettings.concertAdminUrl())
                .concertWithSchedule("Queue surge " + LoadSettings.runId(), 10, 1000).concertId();
        System.out.printf("QueueSurge: concert %d, %d → %d new users/s over %s, then %s; polls up to %s each%n",
                concertId, startUsersPerSecond, peakUsersPerSecond, ramp, hold, maxPoll);

        ScenarioBuilder surge = scenario("queue surge")
                .feed(QueueSteps.users("surge"))
                .exec(session -> session.set("concertId", concertId))
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
}
