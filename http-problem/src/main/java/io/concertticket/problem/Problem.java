package io.concertticket.problem;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem details body: {@code type}, {@code title}, {@code status}, {@code detail},
 * plus extension members that help the client (a seat number, an opening time, a field name).
 * The one problem shape of the platform, free of JAX-RS: the services answer it through {@link ProblemResponses};
 * the gateway, which has no JAX-RS (this module's JAX-RS dependencies are optional), writes it with Jackson
 * onto its Vert.x response.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "detail"})
public final class Problem {

    public static final String MEDIA_TYPE = "application/problem+json";
    /** Problem type URIs are stable identifiers that clients may switch on; documented in the README. */
    public static final String TYPE_BASE = "https://concert-platform.example/problems/";

    private final String type;
    private final String title;
    private final int status;
    private final String detail;
    private final Map<String, Object> extensions = new LinkedHashMap<>();

    private Problem(String slug, String title, int status, String detail) {
        this.type = TYPE_BASE + slug;
        this.title = title;
        this.status = status;
        this.detail = detail;
    }

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem(slug, title, status, detail);
    }

    public Problem with(String name, Object value) {
        extensions.put(name, value);
        return this;
    }

    public String getType() {
        return type;
    }

    public String getTitle() {
        return title;
    }

    public int getStatus() {
        return status;
    }

    public String getDetail() {
        return detail;
    }

    @JsonAnyGetter
    public Map<String, Object> getExtensions() {
        return extensions;
    }
}
