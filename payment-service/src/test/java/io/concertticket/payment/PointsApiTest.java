package io.concertticket.payment;

import io.concertticket.infra.testing.RealInfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "payment"))
class PointsApiTest {

    @Inject
    DataSource ds;

    private static io.restassured.specification.RequestSpecification as(String userId) {
        return given().auth().oauth2(TestSupport.walletToken(userId)).contentType(ContentType.JSON);
    }

    @Test
    void aUserWhoNeverChargedHasABalanceOfZero() {
        String user = TestSupport.newUserId();
        as(user).get("/api/v1/users/{u}/points", user).then().statusCode(200)
                .body("userId", equalTo(user)).body("balance", equalTo(0));
    }

    @Test
    void chargingAddsToTheBalanceAndWritesHistoryNewestFirst() {
        String user = TestSupport.newUserId();
        as(user).body("{\"amount\": 300}").post("/api/v1/users/{u}/points/charge", user).then().statusCode(200)
                .body("balance", equalTo(300)).body("charged", equalTo(300));
        as(user).body("{\"amount\": 200}").post("/api/v1/users/{u}/points/charge", user).then().statusCode(200)
                .body("balance", equalTo(500));
        as(user).get("/api/v1/users/{u}/points", user).then().statusCode(200).body("balance", equalTo(500));

        as(user).queryParam("size", 1).get("/api/v1/users/{u}/points/history", user).then().statusCode(200)
                .body("totalEntries", equalTo(2)).body("entries", hasSize(1))
                .body("entries[0].type", equalTo("CHARGE")).body("entries[0].amount", equalTo(200))
                .body("entries[0].balanceAfter", equalTo(500)).body("entries[0].reservationId", nullValue());
        as(user).queryParam("size", 1).queryParam("page", 1).get("/api/v1/users/{u}/points/history", user).then()
                .statusCode(200).body("entries[0].amount", equalTo(300)).body("entries[0].balanceAfter", equalTo(300));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"amount\": 0}", "{\"amount\": -5}", "{\"amount\": 1.5}", "{\"amount\": \"10\"}",
            "{\"amount\": null}", "{}", "{\"amount\": 99999999999999999999999}", "{\"amount\": 1000001}"})
    void anInvalidAmountIsA400NamingTheFieldAndChangesNothing(String body) {
        String user = TestSupport.newUserId();
        as(user).body("{\"amount\": 10}").post("/api/v1/users/{u}/points/charge", user).then().statusCode(200);

        String response = as(user).body(body).post("/api/v1/users/{u}/points/charge", user).then()
                .statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400)).extract().asString();
        assertThat(response).contains("amount");

        assertThat(TestSupport.balance(ds, user)).isEqualTo(10);
        assertThat(TestSupport.queryLong(ds, "SELECT count(*) FROM point_history WHERE user_id = ?", user)).isEqualTo(1);
    }

    @Test
    void aChargeAboveTheMaximumBalanceIsRefusedWithTheLimitAndChangesNothing() {
        String user = TestSupport.newUserId();
        // test profile: max-balance 2,000,000, max-charge-amount 1,000,000
        as(user).body("{\"amount\": 1000000}").post("/api/v1/users/{u}/points/charge", user).then().statusCode(200);
        as(user).body("{\"amount\": 1000000}").post("/api/v1/users/{u}/points/charge", user).then().statusCode(200);
        as(user).body("{\"amount\": 1}").post("/api/v1/users/{u}/points/charge", user).then().statusCode(400)
                .body("type", containsString("invalid-charge-amount")).body("field", equalTo("amount"))
                .body("maxBalance", equalTo(2_000_000)).body("balance", equalTo(2_000_000));
        assertThat(TestSupport.balance(ds, user)).isEqualTo(2_000_000);
    }

    @Test
    void malformedJsonIsA400() {
        String user = TestSupport.newUserId();
        as(user).body("{\"amount\": ").post("/api/v1/users/{u}/points/charge", user).then().statusCode(400)
                .contentType("application/problem+json");
        as(user).post("/api/v1/users/{u}/points/charge", user).then().statusCode(400);
    }

    @Test
    void withoutAHopTokenItIs401AndForSomeoneElsesWalletItIs403() {
        String user = TestSupport.newUserId();
        given().get("/api/v1/users/{u}/points", user).then().statusCode(401).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"amount\": 10}").post("/api/v1/users/{u}/points/charge", user)
                .then().statusCode(401);
        as("someone-else").get("/api/v1/users/{u}/points", user).then().statusCode(403).contentType("application/problem+json");
        as("someone-else").body("{\"amount\": 10}").post("/api/v1/users/{u}/points/charge", user).then().statusCode(403);
        as("someone-else").get("/api/v1/users/{u}/points/history", user).then().statusCode(403);
        assertThat(TestSupport.balance(ds, user)).isZero();
    }

    @Test
    void badPagingParametersAreA400NamingTheParameter() {
        String user = TestSupport.newUserId();
        as(user).queryParam("size", 0).get("/api/v1/users/{u}/points/history", user).then().statusCode(400)
                .body("violations[0].field", equalTo("size"));
        as(user).queryParam("page", -1).get("/api/v1/users/{u}/points/history", user).then().statusCode(400)
                .body("violations[0].field", equalTo("page"));
    }

    @Test
    void aRetriedChargeWithTheSameIdempotencyKeyReturnsTheFirstResultAndChargesOnce() {
        String user = TestSupport.newUserId();
        as(user).header("Idempotency-Key", "k-1").body("{\"amount\": 70}").post("/api/v1/users/{u}/points/charge", user)
                .then().statusCode(200).body("balance", equalTo(70)).header("Idempotent-Replayed", nullValue());
        as(user).header("Idempotency-Key", "k-1").body("{\"amount\": 70}").post("/api/v1/users/{u}/points/charge", user)
                .then().statusCode(200).body("balance", equalTo(70)).header("Idempotent-Replayed", equalTo("true"));
        as(user).header("Idempotency-Key", "k-1").body("{\"amount\": 71}").post("/api/v1/users/{u}/points/charge", user)
                .then().statusCode(422).body("field", equalTo("Idempotency-Key"));
        as(user).header("Idempotency-Key", "k-2").body("{\"amount\": 70}").post("/api/v1/users/{u}/points/charge", user)
                .then().statusCode(200).body("balance", equalTo(140));
        as(user).header("Idempotency-Key", "").body("{\"amount\": 70}").post("/api/v1/users/{u}/points/charge", user)
                .then().statusCode(400).body("field", equalTo("Idempotency-Key"));
        assertThat(TestSupport.balance(ds, user)).isEqualTo(140);
        assertThat(TestSupport.queryLong(ds, "SELECT count(*) FROM point_history WHERE user_id = ?", user)).isEqualTo(2);
    }
}
