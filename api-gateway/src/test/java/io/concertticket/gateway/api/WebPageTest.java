package io.concertticket.gateway.api;

import io.concertticket.gateway.support.FakeServices;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * The buyers' web page is public (it is only files and the sign-in settings); the API behind it is not: the
 * page being anonymous must not open a single API route to an anonymous caller. In a browser: e2e's WebClientIT.
 */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
@WithTestResource(FakeServices.class)
class WebPageTest {

    @Test
    void thePageAndItsScriptsAreServedAnonymouslyAtTheRoot() {
        given().when().get("/")
                .then().statusCode(200).contentType(startsWith("text/html"))
                .body(containsString("<script type=\"module\" src=\"/js/app.js\"></script>"))
                .body(containsString("aria-live=\"polite\""));
        for (String file : new String[] {"/js/app.js", "/js/auth.js", "/js/api.js", "/js/i18n.js"}) {
            given().when().get(file).then().statusCode(200).contentType(containsString("javascript"));
        }
        given().when().get("/app.css").then().statusCode(200).contentType(startsWith("text/css"));
    }

    @Test
    void theSignInSettingsNameTheGatewaysIssuerAndThePublicPkceClient() {
        String issuer = ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class);
        given().when().get("/web-config.json")
                .then().statusCode(200).contentType(startsWith("application/json"))
                .body("issuer", equalTo(issuer))
                .body("clientId", equalTo("concert-web"));
    }

    @Test
    void theApiBehindThePageStaysProtected() {
        for (String path : new String[] {"/api/v1/reservations", "/api/v1/users/me/points", "/api/v1/queue/tokens/"
                + java.util.UUID.randomUUID()}) {
            given().when().get(path)
                    .then().statusCode(401).contentType("application/problem+json")
                    .body("reason", equalTo("missing-token")).body("credential", equalTo("identity-token"));
        }
        given().contentType("application/json").body("{\"concertId\":1}").when().post("/api/v1/queue/tokens")
                .then().statusCode(401).body("credential", equalTo("identity-token"));
        // a path next to the page's files is no way around the gateway's routes either
        given().when().get("/js/../api/v1/reservations").then().statusCode(401);
    }
}
