package io.concertticket.gateway.api;

import io.concertticket.gateway.support.FakeServices;
import io.concertticket.problem.Problem;
import io.concertticket.gateway.support.Fakes;
import io.concertticket.gateway.support.Tokens;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
@WithTestResource(FakeServices.class)
class RoutingTest {

    private final String account = "router-" + UUID.randomUUID();
    private final String identity = Tokens.bearer(account);
    private final String admission = Tokens.admission(account, 42, UUID.randomUUID());

    @Test
    void eachPublicRouteReachesItsService() {
        String registration = "{\"concertId\":42}";
        given().header("Authorization", identity).contentType("application/json")
                .body(registration)
                .when().post("/api/v1/queue/tokens")
                .then().statusCode(200).body("service", equalTo("queue")).body("method", equalTo("POST"))
                .body("bodyBytes", equalTo(registration.length()));
        given().when().get("/api/v1/concerts?page=2&size=5")
                .then().statusCode(200).body("service", equalTo("concert")).body("uri", equalTo("/api/v1/concerts?page=2&size=5"));
        given().header("Authorization", identity).when().get("/api/v1/reservations/17")
                .then().statusCode(200).body("service", equalTo("concert"));
        String payment = "{\"reservationId\":17}";
        given().header("Authorization", identity).header("Admission-Token", admission)
                .contentType("application/json").body(payment)
                .when().post("/api/v1/payments")
                .then().statusCode(200).body("service", equalTo("payment")).body("bodyBytes", equalTo(payment.length()));
        given().header("Authorization", identity).when().get("/api/v1/users/" + account + "/points")
                .then().statusCode(200).body("service", equalTo("payment"));
        given().header("Authorization", Tokens.bearer("op-" + UUID.randomUUID(), "operator"))
                .contentType("application/json").body("{}")
                .when().post("/api/v1/admin/concerts")
                .then().statusCode(200).body("service", equalTo("concert")).body("uri", equalTo("/api/v1/admin/concerts"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/unknown", "/api/v2/queue/tokens", "/api/v1/queueing", "/api/v1/users/router/wallet",
            "/api", "/api/v1", "/admin/concerts", "/admin", "/api/v1/admin"})
    void anUnknownRouteIsAProblem404(String path) {
        given().header("Authorization", identity).when().get(path)
                .then().statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404)).body("title", equalTo("Not Found"))
                // the platform's one problem shape (http-problem's Problem), plus the gateway's two members
                .body("type", equalTo(Problem.TYPE_BASE + "not-found"))
                .body("detail", containsString("no public API route matches"))
                .body("requestId", not(emptyOrNullString()))
                .body("instance", not(emptyOrNullString()));
    }

    /**
     * The fakes answer any path (they echo it, with their name), so an attempt reached a service exactly
     * when the answer carries a service name; and the fakes must never have seen such a path. A path that
     * normalizes to {@code /q/...} is the gateway's own endpoint, which is fine: it is not the service's.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/q/health", "/q/metrics", "/q/openapi", "/admin/concerts", "/admin/queue/settings",
            "/api/v1/admin/concerts"})
    void theServicesInternalEndpointsAreNotReachable(String internal) throws Exception {
        String[] attempts = {
                internal,
                "/api/v1/queue/../.." + internal,
                "/api/v1/concerts/%2e%2e/%2e%2e/%2e%2e" + internal,
                "/api/v1/payments/..%2f..%2f.." + internal.replace("/", "%2f"),
                "/api/v1/payments/..%2F..%2F.." + internal.replace("/", "%2F"),
                "/api/v1/schedules/./../../.." + internal,
                "/api/v1/reservations/..;/..;/.." + internal,
                "/api/v1/reservations\\..\\..\\.." + internal.replace("/", "\\"),
        };
        for (String attempt : attempts) {
            String response = rawGet(attempt);
            assertThat(response).as(attempt).doesNotContain("\"service\":");
            // paths that normalize to /q/... are the gateway's own endpoints, those that normalize to the
            // operator API need the operator role (a buyer's is refused); everything else is refused
            if (!internal.startsWith("/q/")) {
                assertThat(Integer.parseInt(response.substring(9, 12))).as(attempt).isIn(400, 401, 403, 404);
            }
        }
        for (String service : FakeServices.SERVICES) {
            // (operators do reach /api/v1/admin in other tests; here, that no buyer did shows in the answers above)
            assertThat(Fakes.seenBy(service)).noneMatch(uri -> uri.startsWith("/q/") || uri.startsWith("/admin")
                    || uri.contains("%2f") || uri.contains("%2F") || uri.contains(";") || uri.contains("\\"));
        }
    }

    @Test
    void theGatewaysOwnHealthAndMetricsAreItsOwn() {
        given().when().get("/q/health").then().statusCode(200)
                .body("checks.name", org.hamcrest.Matchers.hasItem("credentials"));
        given().when().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void aClientsRequestIdIsPassedOnAndReturned() {
        given().header("X-Request-Id", "client-req-123").header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .when().get("/api/v1/concerts")
                .then().statusCode(200)
                .header("X-Request-Id", "client-req-123")
                .body("headers.x-request-id", equalTo("client-req-123"))
                // the same trace, continued by the gateway's own span (TracePropagationTest)
                .body("headers.traceparent", matchesPattern("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01"));
    }

    @Test
    void aRequestWithoutIdGetsOneFromItsTraceOrANewOne() {
        given().header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .when().get("/api/v1/concerts")
                .then().statusCode(200)
                .header("X-Request-Id", "4bf92f3577b34da6a3ce929d0e0e4736")
                .body("headers.x-request-id", equalTo("4bf92f3577b34da6a3ce929d0e0e4736"));
        String generated = given().when().get("/api/v1/concerts")
                .then().statusCode(200)
                .header("X-Request-Id", matchesPattern("[0-9a-f]{32}"))
                .extract().header("X-Request-Id");
        given().header("X-Request-Id", "bad id with spaces\u0001").when().get("/api/v1/concerts")
                .then().statusCode(200).header("X-Request-Id", not(equalTo("bad id with spaces\u0001")))
                .header("X-Request-Id", not(equalTo(generated)));
    }

    @Test
    void errorsCarryTheRequestIdToo() {
        given().header("X-Request-Id", "err-req-1").when().get("/api/v1/nowhere")
                .then().statusCode(404).header("X-Request-Id", "err-req-1").body("requestId", equalTo("err-req-1"));
    }

    @Test
    void theServicesEchoedRequestIdIsNotDuplicated() {
        var response = given().header("X-Request-Id", "single-1").when().get("/api/v1/concerts");
        assertThat(response.headers().getValues("X-Request-Id")).containsExactly("single-1");
    }

    @Test
    void thePublicConcertListNeedsNoCredentialAndGetsNoneForwarded() {
        given().header("Authorization", "Bearer garbage").header("Admission-Token", "garbage").header("X-User-Id", "admin")
                .when().get("/api/v1/concerts")
                .then().statusCode(200)
                .body("headers.authorization", nullValue())
                .body("headers.admission-token", nullValue())
                .body("headers.x-user-id", nullValue());
    }

    /** A raw request line, so that no client library normalizes the path; returns the whole response. */
    private static String rawGet(String target) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            String account = "raw-" + UUID.randomUUID();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: gateway\r\nAuthorization: " + Tokens.bearer(account)
                    + "\r\nAdmission-Token: " + Tokens.admission(account, 42, UUID.randomUUID())
                    + "\r\nX-Forwarded-For: " + Fakes.uniqueClient()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
