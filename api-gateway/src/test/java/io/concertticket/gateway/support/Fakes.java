package io.concertticket.gateway.support;

import io.vertx.core.json.JsonArray;
import org.eclipse.microprofile.config.ConfigProvider;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/** The test side of the {@link FakeServices} control server. */
public final class Fakes {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Fakes() {
    }

    /** The URIs a fake service received through the gateway's proxy so far. */
    public static List<String> seenBy(String service) {
        return new JsonArray(call("GET", "/seen?service=" + service)).stream().map(Object::toString).collect(Collectors.toList());
    }

    public static void stop(String service) {
        call("POST", "/stop?service=" + service);
    }

    public static void start(String service) {
        call("POST", "/start?service=" + service);
    }

    public static void rotateKeys() {
        call("POST", "/rotate");
    }

    /** queue-service's JWKS no longer publishes k1 (the last step of a rotation): only k2. */
    public static void retireFirstKey() {
        call("POST", "/retire-first");
    }

    /**
     * On: queue-service's JWKS alternates between {k1} and {k2} on every fetch, as two replicas publishing
     * different key sets would. Answers how many JWKS fetches alternated so far.
     */
    public static int replicasDisagree(boolean on) {
        return Integer.parseInt(call("POST", "/replicas-disagree?on=" + on).trim());
    }

    /** A client of its own (sent as X-Forwarded-For), so one test's rate limit never hits another's. */
    public static String uniqueClient() {
        return "client-" + UUID.randomUUID();
    }

    private static String call(String method, String pathAndQuery) {
        String base = ConfigProvider.getConfig().getValue("test.fake.control-url", String.class);
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
