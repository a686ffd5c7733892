package io.concertticket.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The mappings every service shares: malformed JSON and failed validation are the client's
 * mistake (400, naming the field); framework HTTP errors keep their status; a database that is busy or
 * away (the connection pool ran dry, a lock or statement timeout, an outage) is a 503
 * {@code service-unavailable} with {@code Retry-After}, as the gateway answers when a service is away;
 * anything else is a 500 whose body says nothing about our internals (the stack trace goes to the log only).
 * Each service adds a mapper for its own domain exceptions.
 */
public class CommonProblemMappers {

    private static final Logger LOG = Logger.getLogger(CommonProblemMappers.class);
    private static final java.util.Set<String> SESSION_LIMITS = java.util.Set.of("55P03", "57014", "25P03");

    @ServerExceptionMapper
    public Response validationFailed(ConstraintViolationException e) {
        List<Map<String, String>> violations = e.getConstraintViolations().stream()
                .map(v -> Map.of("field", fieldOf(v), "message", v.getMessage()))
                .sorted((a, b) -> a.get("field").compareTo(b.get("field")))
                .toList();
        String detail = violations.stream().map(v -> v.get("field") + " " + v.get("message"))
                .collect(Collectors.joining("; "));
        return ProblemResponses.of(Problem.of(400, "validation-failed", "Invalid request", detail)
                .with("violations", violations));
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return malformedJson(e);
    }

    @ServerExceptionMapper
    public Response invalidFormat(InvalidFormatException e) {
        return malformedJson(e);
    }

    @ServerExceptionMapper
    public Response unparseable(JsonParseException e) {
        return ProblemResponses.of(Problem.of(400, "malformed-body", "Malformed request body",
                "The body is not valid JSON."));
    }

    @ServerExceptionMapper
    public Response jsonProcessing(JsonProcessingException e) {
        if (e instanceof JsonMappingException m) {
            return malformedJson(m);
        }
        return unparseable(null);
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e) {
        Response r = e.getResponse();
        int status = r.getStatus();
        if (status >= 500) {
            return serverFailure(e);
        }
        String reason = r.getStatusInfo().getReasonPhrase();
        return ProblemResponses.of(Problem.of(status, slugOf(reason), reason,
                status == 404 ? "No such resource." : e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        if (clientWentAway(e)) {
            // the caller (a gateway that timed out, a closed browser) hung up while the body was read or
            // written: nothing is wrong here and nobody reads this answer
            LOG.debugf("client closed the connection: %s", e);
            return ProblemResponses.of(Problem.of(503, "client-closed", "Client closed the connection",
                    "The connection was closed before the exchange completed."));
        }
        return serverFailure(e);
    }

    /**
     * The one answer to a database that is busy or away, whichever mapper meets it: 503 {@code service-unavailable}
     * naming the service, with {@code Retry-After: 1}. Overload is not a bug: the client is told to come back shortly,
     * and the log gets one line with the exception chain (no stack trace).
     */
    public static Response serviceUnavailable(Throwable e) {
        String service = ConfigProvider.getConfig().getOptionalValue("quarkus.application.name", String.class).orElse("the service");
        LOG.warnf("database busy or unavailable, answered 503: %s", chainOf(e));
        return Response.fromResponse(ProblemResponses.of(Problem.of(503, "service-unavailable", "Service Unavailable",
                                service + "'s database is busy or unreachable right now; retry after the Retry-After seconds.")
                        .with("service", service)))
                .header(HttpHeaders.RETRY_AFTER, "1").build();
    }

    /** Not the client's doing: 503 when the database is busy or away, else 500 (logged with its stack trace). */
    private static Response serverFailure(Throwable e) {
        if (databaseUnavailable(e)) {
            return serviceUnavailable(e);
        }
        LOG.error("unexpected error", e);
        return internal();
    }

    /** "IllegalStateException: cannot load sale <- SQLException: Sorry, acquisition timeout!": what happened, in one line. */
    static String chainOf(Throwable e) {
        StringBuilder chain = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            chain.append(chain.isEmpty() ? "" : " <- ").append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return chain.toString();
    }

    /** A closed or reset client connection somewhere in the cause chain. */
    static boolean clientWentAway(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // Vert.x's own "Connection was closed" (the gateway timed out and hung up while a body was read),
            // wrapped in IOExceptions by the REST layer: seen in a surge as ERROR lines with stack traces
            if (t instanceof java.nio.channels.ClosedChannelException || t instanceof io.vertx.core.http.HttpClosedException) {
                return true;
            }
            String message = String.valueOf(t.getMessage());
            if (t instanceof java.io.IOException
                    && (message.contains("ClosedChannelException") || message.contains("Connection reset by peer")
                    || message.contains("Broken pipe"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A connection-pool acquisition timeout (Agroal's SQLException without a SQL state: "Sorry, acquisition timeout!"
     * when every connection is in use, "Acquisition timeout while waiting for new connection" when the pool is still
     * growing and the new connection did not come in time; both under load), a SQL state of class 08 (connection exception), or one of the
     * session limits every service sets (docs/deployment.md, "Stuck sessions and locks"): a lock not granted
     * within {@code lock_timeout} (55P03), a statement cancelled by {@code statement_timeout} (57014), a session
     * ended by {@code idle_in_transaction_session_timeout} (25P03); the server shutting down or starting (57P01-03), out
     * of resources or connections (class 53), or the database not taking connections (55000 "not currently accepting
     * connections"). All pass; none is the client's fault.
     */
    public static boolean databaseUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                String message = String.valueOf(sql.getMessage()).toLowerCase(Locale.ROOT);
                if ((state != null && (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53")
                        || SESSION_LIMITS.contains(state)))
                        || message.contains("acquisition timeout") || message.contains("not currently accepting connections")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Response internal() {
        return ProblemResponses.of(Problem.of(500, "internal-error", "Internal error",
                "The request could not be completed. It was logged; retrying may succeed."));
    }

    private static Response malformedJson(JsonMappingException e) {
        String field = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        String detail = field.isEmpty() ? "The body does not have the expected shape."
                : "Field '" + field + "' has the wrong type or format.";
        Problem p = Problem.of(400, "malformed-body", "Malformed request body", detail);
        if (!field.isEmpty()) {
            p.with("field", field);
        }
        return ProblemResponses.of(p);
    }

    private static String fieldOf(ConstraintViolation<?> v) {
        // "hold.request.seatNumber" -> "seatNumber": the client knows its body, not our method names
        String path = v.getPropertyPath().toString();
        int dot = path.lastIndexOf('.');
        return dot >= 0 ? path.substring(dot + 1) : path;
    }

    private static String slugOf(String reason) {
        return reason == null ? "http-error" : reason.toLowerCase().replaceAll("[^a-z0-9]+", "-");
    }
}
