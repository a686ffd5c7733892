package io.concertticket.gateway.api;

import io.concertticket.problem.Problem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;

/**
 * Sends the platform's RFC 9457 {@link Problem} straight on the Vert.x response (the gateway has no JAX-RS
 * layer), with two members the gateway adds to every problem it writes itself: {@code instance} (the request
 * path) and {@code requestId} (what to quote to an operator).
 */
public final class Problems {

    private static final CharSequence PROBLEM_JSON = HttpHeaders.createOptimized(Problem.MEDIA_TYPE);

    private Problems() {
    }

    /**
     * Sends a problem; {@code extensions} are name/value pairs (values: String, Number or Boolean).
     * A response that has already started cannot become a problem any more: the connection is closed.
     */
    public static void send(HttpServerResponse response, int status, String slug, String title, String detail,
                            String path, String requestId, Object... extensions) {
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            response.reset();
            return;
        }
        Problem problem = Problem.of(status, slug, title, detail);
        if (path != null) {
            problem.with("instance", path);
        }
        if (requestId != null) {
            problem.with("requestId", requestId);
        }
        for (int i = 0; i + 1 < extensions.length; i += 2) {
            Object value = extensions[i + 1];
            problem.with(String.valueOf(extensions[i]),
                    value instanceof Number || value instanceof Boolean ? value : String.valueOf(value));
        }
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, PROBLEM_JSON)
                .end(Json.encodeToBuffer(problem));
    }
}
