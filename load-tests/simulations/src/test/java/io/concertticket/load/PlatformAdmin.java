package io.concertticket.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test data through concert-service's operator API ({@code /admin}, reached directly: operators are
 * inside the cluster). Used from a simulation's {@code before()}, outside the measured traffic.
 */
public final class PlatformAdmin {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String adminUrl;

    public PlatformAdmin(String concertServiceUrl) {
        this.adminUrl = concertServiceUrl + "/admin";
    }

    public record Schedule(long concertId, long scheduleId) {
    }

    /** A concert with one schedule that is reservable now (opened a minute ago, performance in 30 days). */
    public Schedule concertWithSchedule(String title, int seats, long price) {
        long concertId = number(post("/concerts",
                "{\"title\":\"" + title + "\",\"venue\":\"Load test hall\"}"), "concertId");
        Instant now = Instant.now();
        long scheduleId = number(post("/concerts/" + concertId + "/schedules",
                "{\"performanceAt\":\"" + now.plus(Duration.ofDays(30)) + "\",\"reservableFrom\":\""
                        + now.minus(Duration.ofMinutes(1)) + "\"}"), "scheduleId");
        post("/schedules/" + scheduleId + "/seats", "{\"seatCount\":" + seats + ",\"price\":" + price + "}");
        return new Schedule(concertId, scheduleId);
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
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expectedStatus) {
                throw new IllegalStateException("operator API " + response.request().uri() + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("concert-service operator API not reachable at " + adminUrl
                    + " (is ./run.sh up? -Dload.concertAdminUrl=...)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A top-level or nested numeric JSON field, without pulling a JSON library into the simulations. */
    public static long number(String json, String field) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*(-?\\d+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no numeric field " + field + " in " + json);
        }
        return Long.parseLong(m.group(1));
    }
}
