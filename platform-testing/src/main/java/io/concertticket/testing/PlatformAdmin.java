package io.concertticket.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test data through the operator API, {@code /api/v1/admin/**} <b>through the gateway</b> as an account with
 * the {@code operator} role ({@code operator1} in the local realm; docs/identity.md). Used from a
 * simulation's constructor or {@code after()}, outside the measured traffic. The operator's identity token
 * is signed in again when less than a minute of it is left (15 min lifetime in the local realm).
 */
public final class PlatformAdmin {

    private static final int MAX_RATE_LIMITED_RETRIES = 10;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String adminUrl;
    private final String saleStatusUrl;
    private final Supplier<KeycloakAccounts.SignedIn> operatorSignIn;
    private String identityToken;
    private long identityExpires;

    /**
     * @param gatewayUrl     the gateway's base URL
     * @param operatorSignIn signs the operator in (e.g. {@code () -> keycloak.signIn("operator1", "operator1")})
     */
    public PlatformAdmin(String gatewayUrl, Supplier<KeycloakAccounts.SignedIn> operatorSignIn) {
        this.adminUrl = gatewayUrl + "/api/v1/admin";
        this.saleStatusUrl = gatewayUrl + "/api/v1/queue/sales/";
        this.operatorSignIn = operatorSignIn;
    }

    /** The operator's identity token ({@code Authorization: Bearer ...}), signed in again shortly before it expires. */
    public synchronized String identityToken() {
        if (identityToken == null || identityExpires - System.currentTimeMillis() / 1000 < 60) {
            identityToken = operatorSignIn.get().accessToken();
            identityExpires = KeycloakAccounts.claims(identityToken).path("exp").asLong(0);
        }
        return identityToken;
    }

    public record Schedule(long concertId, long scheduleId) {
    }

    /**
     * A concert with one schedule that is reservable now (opened a minute ago, performance in 30 days), returned once
     * queue-service has applied the sale's announcement (its public status says OPEN), so registration works at once.
     */
    public Schedule concertWithSchedule(String title, int seats, long price) {
        long concertId = number(post("/concerts",
                "{\"title\":\"" + title + "\",\"venue\":\"Load test hall\"}"), "concertId");
        Instant now = Instant.now();
        long scheduleId = number(post("/concerts/" + concertId + "/schedules",
                "{\"performanceAt\":\"" + now.plus(Duration.ofDays(30)) + "\",\"reservableFrom\":\""
                        + now.minus(Duration.ofMinutes(1)) + "\"}"), "scheduleId");
        post("/schedules/" + scheduleId + "/seats", "{\"seatCount\":" + seats + ",\"price\":" + price + "}");
        awaitSaleOpen(concertId);
        return new Schedule(concertId, scheduleId);
    }

    /** Waits for {@code GET /api/v1/queue/sales/{id}} (public) to say OPEN: 404 until queue-service has the announcement. */
    public void awaitSaleOpen(long concertId) {
        long deadline = System.currentTimeMillis() + 60_000;
        try {
            while (System.currentTimeMillis() < deadline) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(saleStatusUrl + concertId)).GET()
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"state\":\"OPEN\"")) {
                    return;
                }
                Thread.sleep(100);
            }
        } catch (IOException e) {
            throw new IllegalStateException("sale status not reachable through the gateway at " + saleStatusUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("the sale of concert " + concertId + " is not OPEN within 60 s");
    }

    /** The operator's view of a schedule: remaining seats and seats by status, as JSON. */
    public String scheduleOverview(long scheduleId) {
        return send(HttpRequest.newBuilder(URI.create(adminUrl + "/schedules/" + scheduleId)).GET(), 200);
    }

    private String post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(adminUrl + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), 201);
    }

    private String send(HttpRequest.Builder request, int expectedStatus) {
        try {
            HttpResponse<String> response = null;
            for (int attempt = 0; attempt <= MAX_RATE_LIMITED_RETRIES; attempt++) {
                response = http.send(request.setHeader("Authorization", "Bearer " + identityToken())
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 429) {
                    break;
                }
                // the operator's requests count against its account like anyone's: wait as told
                Thread.sleep(1000L * Math.max(1, response.headers().firstValueAsLong("Retry-After").orElse(1)));
            }
            if (response.statusCode() != expectedStatus) {
                throw new IllegalStateException("operator API " + response.request().uri() + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("operator API not reachable through the gateway at " + adminUrl
                    + " (is ./run.sh up?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A top-level or nested numeric JSON field, without a JSON parser for three numbers. */
    public static long number(String json, String field) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*(-?\\d+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no numeric field " + field + " in " + json);
        }
        return Long.parseLong(m.group(1));
    }
}
