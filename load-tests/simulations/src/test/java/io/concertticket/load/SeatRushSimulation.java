package io.concertticket.load;

import io.concertticket.testing.PlatformAdmin;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * Seat rush: 1,000 signed-in users (one account each, created and signed in before the scenario
 * starts) are admitted, wait for each other, then all race for the 50 seats of one schedule. Each lists
 * the free seats, tries a random one, and repeats until it has won a seat or none is left. Exactly 50
 * must win: counted from the 201s and checked against concert-service's own seat counts by a final
 * "verify winners" request (the operator API through the gateway).
 *
 * <pre>
 * ./mvnw -Pload -pl load-tests/simulations gatling:test \
 *     -Dgatling.simulationClass=io.concertticket.load.SeatRushSimulation -Drush.users=1000 -Drush.seats=50
 * </pre>
 */
public class SeatRushSimulation extends Simulation {

    private static final AtomicInteger WINNERS = new AtomicInteger();
    private static final AtomicInteger SOLD_OUT = new AtomicInteger();

    private final int users = LoadSettings.intProperty("rush.users", 1000);
    private final int seats = LoadSettings.intProperty("rush.seats", 50);
    private final Duration admissionRamp = LoadSettings.seconds("rush.registrationSeconds", 10);
    private final Duration maxAdmissionWait = LoadSettings.seconds("rush.maxAdmissionSeconds", 120);
    private final PlatformAdmin admin = LoadAccounts.platformAdmin();
    private final PlatformAdmin.Schedule schedule;

    {
        schedule = admin.concertWithSchedule("Seat rush " + LoadSettings.runId(), seats, 5000);
        System.out.printf("SeatRush: concert %d schedule %d, %d seats, %d users%n",
                schedule.concertId(), schedule.scheduleId(), seats, users);

        List<LoadAccounts.Identity> racers = LoadAccounts.signedIn("SeatRush", users);

        ScenarioBuilder rush = scenario("seat rush")
                .feed(LoadAccounts.eachOnce(racers))
                .exec(session -> session.set("concertId", schedule.concertId())
                        .set("scheduleId", schedule.scheduleId()).set("won", false).set("soldOut", false))
                .exec(QueueSteps.register())
                .exec(QueueSteps.pollUntilActive(maxAdmissionWait))
                // everyone (admitted or not) meets here, so one failure cannot leave the rest waiting;
                // then the herd starts at once
                .rendezVous(users)
                .doIf(QueueSteps::isActive)
                .then(asLongAs(session -> !session.isFailed() && !session.getBoolean("won") && !session.getBoolean("soldOut"))
                        .on(exec(QueueSteps.chooseFreeSeat())
                                .doIf(session -> !session.getBoolean("soldOut"))
                                .then(exec(QueueSteps.hold()
                                        // 201 won, 409 someone else was faster: both are correct answers
                                        .check(status().in(201, 409).saveAs("holdStatus")))
                                        .exitHereIfFailed()
                                        .exec(session -> {
                                            if (session.getInt("holdStatus") == 201) {
                                                WINNERS.incrementAndGet();
                                                return session.set("won", true);
                                            }
                                            return session;
                                        })))
                        .exec(session -> {
                            if (session.getBoolean("soldOut")) {
                                SOLD_OUT.incrementAndGet();
                            }
                            return session;
                        }));

        // After the race: the 201s counted here must equal the seats, and concert-service must agree
        // (the operator API through the gateway, as the operator: signed in before the run when the concert
        // was set up, and again only if that token has less than a minute left).
        ScenarioBuilder verify = scenario("verify")
                .exec(session -> session.set("clientIp", "2001:db8::ffff:ffff"))
                .exec(http("verify winners")
                        .get("/api/v1/admin/schedules/" + schedule.scheduleId())
                        .header("Authorization", session -> "Bearer " + admin.identityToken())
                        .check(status().is(200),
                                status().transform(s -> WINNERS.get()).is(seats),
                                jsonPath("$.remainingSeatCount").ofLong().is(0L),
                                jsonPath("$.seatsByStatus.HELD").ofLong().is((long) seats)));

        setUp(rush.injectOpen(rampUsers(users).during(admissionRamp))
                .andThen(verify.injectOpen(atOnceUsers(1))))
                .protocols(QueueSteps.gateway())
                .maxDuration(admissionRamp.plus(maxAdmissionWait).plus(Duration.ofMinutes(3)))
                .assertions(
                        global().failedRequests().count().is(0L),
                        details("verify winners").successfulRequests().count().is(1L));
    }

    @Override
    public void after() {
        System.out.printf("SeatRush: %d winners for %d seats, %d users saw the schedule sold out%n",
                WINNERS.get(), seats, SOLD_OUT.get());
        System.out.println("SeatRush: concert-service says " + admin.scheduleOverview(schedule.scheduleId()));
        EventLag.report("SeatRush", schedule.scheduleId());
        System.out.println("SeatRush: told to retry (429/503, then honoured): " + RetryAfter.summary());
    }
}
