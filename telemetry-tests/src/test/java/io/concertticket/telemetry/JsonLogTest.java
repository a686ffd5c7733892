package io.concertticket.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.json.runtime.JsonFormatter;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * In the prod profile the console writes one JSON object per line, and a line logged while a request is handled
 * carries that request's trace and span ids. (Dev and test keep the text format: NoCollectorTest and every other
 * test run with it.)
 */
@QuarkusTest
@TestProfile(JsonLogTest.Prod.class)
class JsonLogTest {

    public static class Prod implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "prod";
        }
    }

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void consoleLinesAreJsonWithTheRequestsTraceAndSpanIds() throws Exception {
        Formatter console = consoleFormatter();
        assertThat(console).isInstanceOf(JsonFormatter.class);

        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if ("io.concertticket.telemetry.LoggingRoute".equals(record.getLoggerName())) {
                    lines.add(console.format(record));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger.getLogger("").addHandler(capture);
        try {
            given().header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01")
                    .when().get("/log").then().statusCode(200);
        } finally {
            Logger.getLogger("").removeHandler(capture);
        }

        assertThat(lines).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(lines.get(0));
        assertThat(line.path("message").asText()).isEqualTo("handling a request");
        assertThat(line.path("level").asText()).isEqualTo("INFO");
        assertThat(line.path("mdc").path("traceId").asText()).isEqualTo(TRACE_ID);
        assertThat(line.path("mdc").path("spanId").asText()).matches("[0-9a-f]{16}").isNotEqualTo("00f067aa0ba902b7");
    }

    /** The formatter of the console handler, wherever Quarkus nested it below the root logger. */
    private static Formatter consoleFormatter() {
        List<Handler> handlers = new ArrayList<>(List.of(Logger.getLogger("").getHandlers()));
        for (int i = 0; i < handlers.size(); i++) {
            Handler handler = handlers.get(i);
            if (handler instanceof org.jboss.logmanager.handlers.ConsoleHandler) {
                return handler.getFormatter();
            }
            if (handler instanceof org.jboss.logmanager.ExtHandler ext) {
                handlers.addAll(List.of(ext.getHandlers()));
            }
        }
        throw new AssertionError("no console handler below the root logger: " + handlers);
    }
}
