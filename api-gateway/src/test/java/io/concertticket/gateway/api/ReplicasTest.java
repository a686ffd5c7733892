package io.concertticket.gateway.api;

import io.concertticket.gateway.support.FakeServices;
import io.concertticket.gateway.support.Fakes;
import io.concertticket.gateway.support.Tokens;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * A service given as two URLs is two replicas: requests alternate between them, a replica that is down (connection
 * refused) costs no request an error, not even a payment's POST, and the one retry of an idempotent request whose
 * connection closed unanswered goes to the other replica. The replicas are real HTTP servers (FakeServices with
 * {@code second-replica=concert}); "down" is a closed server socket, as after a SIGKILL.
 */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
@WithTestResource(value = FakeServices.class, initArgs = @ResourceArg(name = "second-replica", value = "concert"))
class ReplicasTest {

    @Test
    void requestsAlternateBetweenTheReplicasWhileBothAreUp() {
        String probe = "probe=" + UUID.randomUUID();
        for (int i = 0; i < 10; i++) {
            given().header("Authorization", Tokens.bearer("alternating-" + i)).header("X-Forwarded-For", Fakes.uniqueClient())
                    .when().get("/api/v1/reservations?" + probe).then().statusCode(200);
        }

        long first = Fakes.seenBy("concert").stream().filter(uri -> uri.contains(probe)).count();
        long second = Fakes.seenBy("concert-2").stream().filter(uri -> uri.contains(probe)).count();
        assertThat(first + second).isEqualTo(10);
        // round robin: other tests' requests may interleave, but neither replica is left out
        assertThat(first).isPositive();
        assertThat(second).isPositive();
    }

    @Test
    void aStoppedReplicaCostsNoRequestAnError() {
        Fakes.stop("concert-2");
        try {
            String probe = "probe=" + UUID.randomUUID();
            for (int i = 0; i < 10; i++) {
                given().header("Authorization", Tokens.bearer("survivor-" + i)).header("X-Forwarded-For", Fakes.uniqueClient())
                        .when().get("/api/v1/reservations?" + probe).then().statusCode(200)
                        .header("X-Fake-Replica", "concert");
            }
            for (int i = 0; i < 10; i++) {
                String account = "holder-" + UUID.randomUUID();
                // not idempotent, yet safe to send elsewhere: the refused connection carried nothing
                given().header("Authorization", Tokens.bearer(account)).header("X-Forwarded-For", Fakes.uniqueClient())
                        .header("Admission-Token", Tokens.admission(account, 42, UUID.randomUUID()))
                        .contentType("application/json").body("{\"seatId\":" + i + "}")
                        .when().post("/api/v1/reservations?" + probe).then().statusCode(200)
                        .header("X-Fake-Replica", "concert")
                        .body("method", equalTo("POST"));
            }
            assertThat(Fakes.seenBy("concert")).filteredOn(uri -> uri.contains(probe)).hasSize(20);
            assertThat(Fakes.seenBy("concert-2")).filteredOn(uri -> uri.contains(probe)).isEmpty();
        } finally {
            Fakes.start("concert-2");
        }
    }

    @Test
    void theRetryOfAGetWhoseConnectionClosedUnansweredGoesToTheOtherReplica() {
        String query = "close-once=" + UUID.randomUUID();

        String answeredBy = given().header("Authorization", Tokens.bearer("retried")).header("X-Forwarded-For", Fakes.uniqueClient())
                .when().get("/api/v1/reservations?" + query)
                .then().statusCode(200).extract().header("X-Fake-Replica");

        String closedBy = answeredBy.equals("concert") ? "concert-2" : "concert";
        assertThat(Fakes.seenBy(closedBy)).filteredOn(uri -> uri.contains(query)).hasSize(1);
        assertThat(Fakes.seenBy(answeredBy)).filteredOn(uri -> uri.contains(query)).hasSize(1);
    }
}
