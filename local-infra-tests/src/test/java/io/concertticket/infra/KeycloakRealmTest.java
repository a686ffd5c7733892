package io.concertticket.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concertticket.infra.testing.SharedInfrastructure;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keycloak started the way run.sh and the tests start it (InfraMain in its own process), with the concert realm:
 * the tests' Keycloak of this build ({@link SharedInfrastructure#keycloakIssuer()}), which this class is usually
 * the first to ask for.
 */
class KeycloakRealmTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static String issuer;

    @BeforeAll
    static void startKeycloak() {
        long started = System.nanoTime();
        issuer = SharedInfrastructure.keycloakIssuer();
        System.out.printf("InfraMain with Keycloak ready in %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    @Test
    void buyerSignsInWithThePasswordGrantAndGetsAnAccessTokenForTheApiWithoutOperatorRole() throws Exception {
        JsonNode claims = claims(passwordGrant("concert-cli", "buyer1", "buyer1").path("access_token").asText());

        assertThat(claims.path("iss").asText()).isEqualTo(issuer);
        assertThat(strings(claims.path("aud"))).contains("concert-api");
        assertThat(claims.path("sub").asText()).isEqualTo("c0ffee00-0000-4000-8000-00000000b001");
        assertThat(claims.path("preferred_username").asText()).isEqualTo("buyer1");
        assertThat(strings(claims.path("roles"))).contains("buyer").doesNotContain("operator");
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(15 * 60);
    }

    @Test
    void operatorsTokenCarriesTheOperatorRoleInTheFlatRolesClaim() throws Exception {
        JsonNode claims = claims(passwordGrant("concert-cli", "operator1", "operator1").path("access_token").asText());

        assertThat(strings(claims.path("roles"))).contains("operator");
        assertThat(strings(claims.path("aud"))).contains("concert-api");
    }

    @Test
    void wrongPasswordIsRefused() throws Exception {
        assertThat(tokenRequest("concert-cli", "buyer2", "not-the-password").statusCode()).isEqualTo(401);
    }

    @Test
    void browserClientRefusesThePasswordGrant() throws Exception {
        // concert-web is for the authorization code flow with PKCE only
        assertThat(tokenRequest("concert-web", "buyer1", "buyer1").statusCode()).isIn(400, 401);
    }

    private static JsonNode passwordGrant(String client, String username, String password) throws Exception {
        HttpResponse<String> response = tokenRequest(client, username, password);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> tokenRequest(String client, String username, String password) throws Exception {
        String form = "grant_type=password&scope=openid&client_id=" + client
                + "&username=" + URLEncoder.encode(username, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        return HTTP.send(HttpRequest.newBuilder(URI.create(issuer + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode claims(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    /** aud and roles are arrays, or a single string when there is one value. */
    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> values.add(n.asText()));
        } else if (!node.isMissingNode()) {
            values.add(node.asText());
        }
        return values;
    }
}
