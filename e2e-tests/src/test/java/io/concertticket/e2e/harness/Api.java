package io.concertticket.e2e.harness;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A plain {@link HttpClient} speaking JSON, shared by all simulated users (one connection pool, like
 * many browsers behind one NAT). A network failure is an answer too: status -1, so a scenario can
 * tell "refused" from "failed".
 */
public final class Api {

    public static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final List<String> bases;
    /** Index into {@link #bases} of the gateway in use. */
    private final java.util.concurrent.atomic.AtomicInteger current = new java.util.concurrent.atomic.AtomicInteger();
    private final Duration timeout;

    public Api(String base) {
        this(base, Duration.ofSeconds(120));
    }

    /** @param timeout how long one request may take before it counts as unanswered (status -1) */
    public Api(String base, Duration timeout) {
        this(List.of(base), timeout);
    }

    /**
     * A client that knows several gateways (as behind DNS with several addresses): it uses the first, and once a
     * gateway refuses a connection it moves on to the next for good; that call still answers -1 (a careful
     * client's retry then goes to the other gateway).
     */
    public Api(List<String> bases, Duration timeout) {
        this.bases = List.copyOf(bases);
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newCachedThreadPool(r -> {
                    Thread t = new Thread(r, "e2e-http");
                    t.setDaemon(true);
                    return t;
                }))
                .build();
    }

    /** One HTTP answer: status (-1 for a network failure), JSON body (missing node if none), headers. */
    public record Reply(int status, JsonNode body, Map<String, java.util.List<String>> headers, String raw) {

        public boolean is(int expected) {
            return status == expected;
        }

        /** No answer or a server-side failure: the outcome of a write is unknown. */
        public boolean uncertain() {
            return status < 0 || status >= 500;
        }

        public String text(String field) {
            JsonNode n = body.path(field);
            return n.isMissingNode() || n.isNull() ? null : n.asText();
        }

        /** The last segment of a problem's {@code type} ({@code .../problems/<slug>}), or null. */
        public String problem() {
            String type = text("type");
            return type == null ? null : type.substring(type.lastIndexOf('/') + 1);
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
        }

        public long number(String field) {
            JsonNode n = body.path(field);
            if (!n.isNumber() && !n.isTextual()) {
                throw new AssertionError("no number " + field + " in " + this);
            }
            return n.asLong();
        }

        @Override
        public String toString() {
            return status + " " + (raw == null ? "" : raw.length() > 400 ? raw.substring(0, 400) + "…" : raw);
        }
    }

    /** Header name of the admission token (the queue poll's {@code accessToken}) on sale routes. */
    public static final String ADMISSION_TOKEN = "Admission-Token";

    /**
     * The headers of a call as an account: {@code Authorization: Bearer <identity>} and, when given,
     * {@code Admission-Token: <admission>}; either may be null (left out).
     */
    public static Map<String, String> as(String identity, String admission) {
        Map<String, String> h = new java.util.LinkedHashMap<>();
        if (identity != null) {
            h.put("Authorization", "Bearer " + identity);
        }
        if (admission != null) {
            h.put(ADMISSION_TOKEN, admission);
        }
        return h;
    }

    /** No credential at all. */
    public static Map<String, String> anonymous() {
        return Map.of();
    }

    /** Merges header maps, later ones winning. */
    @SafeVarargs
    public static Map<String, String> headers(Map<String, String>... parts) {
        Map<String, String> h = new java.util.LinkedHashMap<>();
        for (Map<String, String> p : parts) {
            h.putAll(p);
        }
        return h;
    }

    public Reply get(String path, Map<String, String> headers) {
        HttpRequest.Builder b = request(path).GET();
        headers.forEach(b::header);
        return send(b);
    }

    public Reply post(String path, Map<String, String> headers, Object body) {
        HttpRequest.Builder b = request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(body)));
        headers.forEach(b::header);
        return send(b);
    }

    /** A PUT with a JSON body (the operator's sale window). */
    public Reply put(String path, Map<String, String> headers, Object body) {
        return send("PUT", path, headers, body);
    }

    /** A PATCH with a JSON body (the operator's sale controls). */
    public Reply patch(String path, Map<String, String> headers, Object body) {
        return send("PATCH", path, headers, body);
    }

    /** A POST without a body, as {@code curl -X POST} sends it (the operator's actions on a sale). */
    public Reply post(String path, Map<String, String> headers) {
        HttpRequest.Builder b = request(path).POST(HttpRequest.BodyPublishers.noBody());
        headers.forEach(b::header);
        return send(b);
    }

    private Reply send(String method, String path, Map<String, String> headers, Object body) {
        HttpRequest.Builder b = request(path)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json(body)));
        headers.forEach(b::header);
        return send(b);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(bases.get(current.get()) + path))
                .timeout(timeout)
                .header("Accept", "application/json");
    }

    private Reply send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = MissingNode.getInstance();
            if (r.body() != null && !r.body().isBlank()) {
                try {
                    body = JSON.readTree(r.body());
                } catch (JsonProcessingException e) {
                    // not JSON: keep the raw text for the failure message
                }
            }
            return new Reply(r.statusCode(), body, r.headers().map(), r.body());
        } catch (IOException e) {
            if (e instanceof java.net.ConnectException && bases.size() > 1) {
                String refused = b.build().uri().toString();
                int was = current.get();
                if (refused.startsWith(bases.get(was))) {
                    current.compareAndSet(was, (was + 1) % bases.size());
                }
            }
            return new Reply(-1, MissingNode.getInstance(), Map.of(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(-1, MissingNode.getInstance(), Map.of(), "interrupted");
        }
    }

    private static String json(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
