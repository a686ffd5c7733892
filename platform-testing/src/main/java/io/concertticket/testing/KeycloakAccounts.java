package io.concertticket.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Accounts and identity tokens of a Keycloak realm for end-to-end, gateway and load tests: many accounts
 * created in one admin call, and signing in with the password grant on the public client {@code concert-cli}.
 *
 * <pre>{@code
 * KeycloakAccounts keycloak = new KeycloakAccounts(infra.keycloakIssuer());
 * List<Account> buyers = keycloak.create("rush", 500);
 * SignedIn buyer = keycloak.signIn(buyers.get(0));   // buyer.accessToken() -> Authorization: Bearer ...
 * }</pre>
 */
public final class KeycloakAccounts {

    /** The local realm's bootstrap administrator (local-infra's KeycloakServer). */
    public static final String LOCAL_ADMIN_USERNAME = "admin";
    public static final String LOCAL_ADMIN_PASSWORD = "admin";
    public static final String CLIENT_ID = "concert-cli";
    /** Every account gets the realm's default role (and so {@code buyer}); partialImport does not add it by itself. */
    private static final String DEFAULT_ROLE = "default-roles-concert";
    /** Users per partialImport call: one request per batch keeps the request body and transaction moderate. */
    private static final int BATCH = 500;
    /**
     * Accounts imported with one administrator token: a master-realm token lives 60 s, and at ~30 accounts/s
     * 1,000 take about 30 s, so a large import signs the administrator in again every 1,000 (a multiple of BATCH).
     */
    private static final int ACCOUNTS_PER_ADMIN_TOKEN = 1000;
    /** Concurrent token requests in {@link #signInAll}: enough to keep Keycloak busy, not so many that it queues. */
    private static final int SIGN_IN_CONCURRENCY = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Account(String username, String password) {
    }

    /** An identity token ({@code Authorization: Bearer <accessToken>}) and the account it names ({@code sub}). */
    public record SignedIn(String username, String accessToken, String subject) {
    }

    /** {@link #createAndSignIn}'s accounts and their tokens, both in the order {@code prefix-1 ... prefix-n}, and how long each step took. */
    public record SignedInAccounts(List<Account> accounts, List<SignedIn> signedIn, Duration creating, Duration signingIn) {
    }

    private final String serverUrl;
    private final String realm;
    private final String adminUsername;
    private final String adminPassword;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** For the local realm ({@code http://127.0.0.1:<port>/realms/concert}) with the local admin/admin. */
    public KeycloakAccounts(String issuer) {
        this(issuer, LOCAL_ADMIN_USERNAME, LOCAL_ADMIN_PASSWORD);
    }

    /** @param issuer the realm's issuer URL, {@code <server>/realms/<realm>}; the administrator signs in to {@code master} */
    public KeycloakAccounts(String issuer, String adminUsername, String adminPassword) {
        int at = issuer.indexOf("/realms/");
        if (at < 0) {
            throw new IllegalArgumentException("not a Keycloak issuer (<server>/realms/<realm>): " + issuer);
        }
        this.serverUrl = issuer.substring(0, at);
        this.realm = issuer.substring(at + "/realms/".length()).replaceAll("/+$", "");
        this.adminUsername = adminUsername;
        this.adminPassword = adminPassword;
    }

    /**
     * Creates {@code prefix-1} ... {@code prefix-n} (lower case, as Keycloak stores user names), password = user name,
     * e-mail verified, nothing left to do before signing in. Accounts that exist already are kept as they are.
     */
    public List<Account> create(String prefix, int n) {
        List<Account> accounts = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            String username = (prefix + "-" + i).toLowerCase(Locale.ROOT);
            accounts.add(new Account(username, username));
        }
        String adminToken = null;
        for (int from = 0; from < n; from += BATCH) {
            if (from % ACCOUNTS_PER_ADMIN_TOKEN == 0) {
                adminToken = adminToken();
            }
            importUsers(adminToken, accounts.subList(from, Math.min(n, from + BATCH)));
        }
        return accounts;
    }

    /** {@link #create} then {@link #signInAll}: the load tools' accounts, each with an identity token. */
    public SignedInAccounts createAndSignIn(String prefix, int n) {
        long t0 = System.nanoTime();
        List<Account> accounts = create(prefix, n);
        long t1 = System.nanoTime();
        List<SignedIn> signedIn = signInAll(accounts);
        long t2 = System.nanoTime();
        return new SignedInAccounts(accounts, signedIn, Duration.ofNanos(t1 - t0), Duration.ofNanos(t2 - t1));
    }

    public SignedIn signIn(Account account) {
        return signIn(account.username(), account.password());
    }

    /** The password grant on {@code concert-cli}: the account's identity token, as a browser would get it after signing in. */
    public SignedIn signIn(String username, String password) {
        return signIn(CLIENT_ID, username, password);
    }

    /** The password grant on another client of the realm, e.g. one made by {@link #createPasswordClient}. */
    public SignedIn signIn(String clientId, String username, String password) {
        JsonNode token = postForm(realmUrl() + "/protocol/openid-connect/token", "grant_type=password&client_id=" + enc(clientId)
                + "&username=" + enc(username) + "&password=" + enc(password), "sign-in of " + username);
        String accessToken = token.path("access_token").asText();
        return new SignedIn(username, accessToken, claims(accessToken).path("sub").asText());
    }

    /** Signs every account in, several at a time; the result is in the order of {@code accounts}. */
    public List<SignedIn> signInAll(List<Account> accounts) {
        Semaphore permits = new Semaphore(SIGN_IN_CONCURRENCY);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<SignedIn>> futures = new ArrayList<>(accounts.size());
            for (Account account : accounts) {
                futures.add(executor.submit(() -> {
                    permits.acquire();
                    try {
                        return signIn(account);
                    } finally {
                        permits.release();
                    }
                }));
            }
            List<SignedIn> signedIn = new ArrayList<>(accounts.size());
            for (Future<SignedIn> f : futures) {
                signedIn.add(f.get());
            }
            return signedIn;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signing in", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /**
     * Adds a public client with the password grant, for tokens the platform must refuse although the realm
     * signed them: {@code concertAudience} false gives tokens without the {@code concert-api} audience;
     * {@code lifespanSeconds} > 0 gives access tokens that live that long (a genuinely expired one). Tokens
     * carry the realm roles in {@code roles}, as concert-cli's do. A client that exists already is kept.
     */
    public void createPasswordClient(String clientId, boolean concertAudience, int lifespanSeconds) {
        ObjectNode client = JSON.createObjectNode()
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
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(serverUrl + "/admin/realms/" + realm + "/clients"))
                .header("Authorization", "Bearer " + adminToken())
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(client.toString()))
                .build());
        if (response.statusCode() != 201 && response.statusCode() != 409) {
            throw new IllegalStateException("creating client " + clientId + " failed: " + response.statusCode() + " " + response.body());
        }
    }

    /**
     * Lets a browser client (e.g. {@code concert-web}) sign in on a page served from {@code origin}
     * ({@code http://127.0.0.1:<port>}): adds {@code origin/*} to its redirect and post-logout redirect URIs and
     * {@code origin} to its web origins (CORS on the token endpoint). For tests whose gateway runs on a free port
     * instead of the realm's 8080. Idempotent.
     */
    public void allowBrowserOrigin(String clientId, String origin) {
        String admin = adminToken();
        String clients = serverUrl + "/admin/realms/" + realm + "/clients";
        HttpResponse<String> found = send(HttpRequest.newBuilder(URI.create(clients + "?clientId=" + enc(clientId)))
                .header("Authorization", "Bearer " + admin).timeout(Duration.ofSeconds(30)).GET().build());
        JsonNode client;
        try {
            client = JSON.readTree(found.body()).path(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (found.statusCode() != 200 || !(client instanceof ObjectNode c)) {
            throw new IllegalStateException("client " + clientId + " not found: " + found.statusCode() + " " + found.body());
        }
        addIfMissing(c.get("redirectUris") instanceof ArrayNode a ? a : c.putArray("redirectUris"), origin + "/*");
        addIfMissing(c.get("webOrigins") instanceof ArrayNode a ? a : c.putArray("webOrigins"), origin);
        ObjectNode attributes = c.get("attributes") instanceof ObjectNode o ? o : c.putObject("attributes");
        String logout = attributes.path("post.logout.redirect.uris").asText("");
        if (!java.util.Arrays.asList(logout.split("##")).contains(origin + "/*")) {
            attributes.put("post.logout.redirect.uris", logout.isEmpty() ? origin + "/*" : logout + "##" + origin + "/*");
        }
        HttpResponse<String> updated = send(HttpRequest.newBuilder(URI.create(clients + "/" + c.path("id").asText()))
                .header("Authorization", "Bearer " + admin)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .PUT(HttpRequest.BodyPublishers.ofString(c.toString()))
                .build());
        if (updated.statusCode() != 204) {
            throw new IllegalStateException("updating client " + clientId + " failed: " + updated.statusCode() + " " + updated.body());
        }
    }

    private static void addIfMissing(ArrayNode values, String value) {
        for (JsonNode v : values) {
            if (v.asText().equals(value)) {
                return;
            }
        }
        values.add(value);
    }

    /** The claims of a JWT, unverified: for tests that look at what the issuer put in. */
    public static JsonNode claims(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a JWT");
        }
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void importUsers(String adminToken, List<Account> batch) {
        ObjectNode body = JSON.createObjectNode().put("ifResourceExists", "SKIP");
        ArrayNode users = body.putArray("users");
        for (Account a : batch) {
            ObjectNode user = users.addObject()
                    .put("username", a.username())
                    .put("enabled", true)
                    .put("email", a.username() + "@accounts.concert.example")
                    .put("emailVerified", true)
                    // the user profile asks for both names: without them Keycloak wants a profile update first
                    .put("firstName", "Test")
                    .put("lastName", a.username());
            user.putArray("realmRoles").add(DEFAULT_ROLE);
            user.putArray("credentials").addObject()
                    .put("type", "password").put("value", a.password()).put("temporary", false);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(serverUrl + "/admin/realms/" + realm + "/partialImport"))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        HttpResponse<String> response = send(request);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("creating accounts failed: " + response.statusCode() + " " + response.body());
        }
    }

    private String adminToken() {
        return postForm(serverUrl + "/realms/master/protocol/openid-connect/token", "grant_type=password&client_id=admin-cli&username="
                + enc(adminUsername) + "&password=" + enc(adminPassword), "administrator sign-in").path("access_token").asText();
    }

    private JsonNode postForm(String url, String form, String what) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(what + " failed: " + response.statusCode() + " " + response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private String realmUrl() {
        return serverUrl + "/realms/" + realm;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
