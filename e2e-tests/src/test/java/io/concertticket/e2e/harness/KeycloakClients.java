package io.concertticket.e2e.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.concertticket.testing.KeycloakAccounts;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Extra clients of the local realm, for identity tokens the platform must refuse although the realm
 * signed them: a client whose tokens lack the audience {@code concert-api}, and one whose tokens live a
 * few seconds (to get a genuinely expired one). Created through Keycloak's admin API as the local
 * administrator; sign-in with the password grant, as on {@code concert-cli}.
 */
public final class KeycloakClients {

    private final String server;
    private final String realm;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public KeycloakClients(String issuer) {
        int at = issuer.indexOf("/realms/");
        this.server = issuer.substring(0, at);
        this.realm = issuer.substring(at + "/realms/".length());
    }

    /**
     * A public client with the password grant. {@code concertAudience}: its tokens name {@code concert-api}
     * (as concert-cli's do); {@code lifespanSeconds} > 0: its access tokens live that long.
     */
    public void createPasswordClient(String clientId, boolean concertAudience, int lifespanSeconds) {
        ObjectNode client = Api.JSON.createObjectNode()
                .put("clientId", clientId)
                .put("enabled", true)
                .put("protocol", "openid-connect")
                .put("publicClient", true)
                .put("standardFlowEnabled", false)
                .put("directAccessGrantsEnabled", true);
        if (lifespanSeconds > 0) {
            client.putObject("attributes").put("access.token.lifespan", Integer.toString(lifespanSeconds));
        }
        ArrayNode mappers = client.putArray("protocolMappers");
        if (concertAudience) {
            mappers.addObject().put("name", "audience concert-api").put("protocol", "openid-connect")
                    .put("protocolMapper", "oidc-audience-mapper").putObject("config")
                    .put("included.custom.audience", "concert-api").put("access.token.claim", "true")
                    .put("id.token.claim", "false");
        }
        mappers.addObject().put("name", "realm roles as roles").put("protocol", "openid-connect")
                .put("protocolMapper", "oidc-usermodel-realm-role-mapper").putObject("config")
                .put("claim.name", "roles").put("multivalued", "true").put("jsonType.label", "String")
                .put("access.token.claim", "true");
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(server + "/admin/realms/" + realm + "/clients"))
                .header("Authorization", "Bearer " + adminToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(client.toString())).build());
        if (r.statusCode() != 201 && r.statusCode() != 409) {
            throw new IllegalStateException("creating client " + clientId + " failed: " + r.statusCode() + " " + r.body());
        }
    }

    /** The access (identity) token of a password-grant sign-in on {@code clientId}. */
    public String signIn(String clientId, String username, String password) {
        return postForm(server + "/realms/" + realm + "/protocol/openid-connect/token", "grant_type=password&client_id="
                + enc(clientId) + "&username=" + enc(username) + "&password=" + enc(password)).path("access_token").asText();
    }

    private String adminToken() {
        return postForm(server + "/realms/master/protocol/openid-connect/token", "grant_type=password&client_id=admin-cli&username="
                + enc(KeycloakAccounts.LOCAL_ADMIN_USERNAME) + "&password=" + enc(KeycloakAccounts.LOCAL_ADMIN_PASSWORD))
                .path("access_token").asText();
    }

    private JsonNode postForm(String url, String form) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("POST " + url + " failed: " + r.statusCode() + " " + r.body());
        }
        try {
            return Api.JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
