package io.concertticket.gateway.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/**
 * RFC 9457 problem responses written straight to the Vert.x response (the gateway has no JAX-RS layer):
 * {@code type}, {@code title}, {@code status}, {@code detail}, {@code instance} (the request path),
 * {@code requestId} and optional extension members. Type URIs share the platform's base
 * ({@code io.concertticket.problem.Problem.TYPE_BASE}).
 */
public final class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://concert-platform.example/problems/";
    private static final CharSequence PROBLEM_JSON = HttpHeaders.createOptimized(MEDIA_TYPE);

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
        StringBuilder json = new StringBuilder(256);
        json.append("{\"type\":");
        string(json, TYPE_BASE + slug);
        json.append(",\"title\":");
        string(json, title);
        json.append(",\"status\":").append(status);
        json.append(",\"detail\":");
        string(json, detail);
        if (path != null) {
            json.append(",\"instance\":");
            string(json, path);
        }
        if (requestId != null) {
            json.append(",\"requestId\":");
            string(json, requestId);
        }
        for (int i = 0; i + 1 < extensions.length; i += 2) {
            json.append(',');
            string(json, String.valueOf(extensions[i]));
            json.append(':');
            Object value = extensions[i + 1];
            if (value instanceof Number || value instanceof Boolean) {
                json.append(value);
            } else {
                string(json, String.valueOf(value));
            }
        }
        json.append('}');
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, PROBLEM_JSON)
                .end(Buffer.buffer(json.toString()));
    }

    /** Appends a JSON string literal. */
    static void string(StringBuilder out, String s) {
        if (s == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
