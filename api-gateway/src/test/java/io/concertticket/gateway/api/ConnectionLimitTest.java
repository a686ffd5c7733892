package io.concertticket.gateway.api;

import io.concertticket.gateway.support.FakeServices;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.testing.LongScenario;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A gateway at its limit of client connections ({@code GATEWAY_MAX_CONNECTIONS}) closes one more as soon as it
 * accepts it, and keeps serving the connections it has, through to the services: a surge cannot take the
 * descriptors the gateway needs for its own connections to the services.
 */
@QuarkusTest
@LongScenario
@WithTestResource(RealInfrastructureResource.class)
@WithTestResource(FakeServices.class)
@TestProfile(ConnectionLimitTest.EightConnections.class)
class ConnectionLimitTest {

    static final int LIMIT = 8;

    public static class EightConnections implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.limits.max-connections", String.valueOf(LIMIT));
        }
    }

    private final List<Socket> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws IOException {
        for (Socket s : open) {
            s.close();
        }
    }

    @Test
    void oneConnectionMoreThanTheLimitIsClosedAndTheOthersStillReachTheServices() throws Exception {
        for (int i = 0; i < LIMIT; i++) {
            assertThat(statusOf(connect())).as("connection %d of %d", i + 1, LIMIT).isEqualTo(200);
        }

        Socket oneTooMany = connect();
        assertThat(answerOrClosed(oneTooMany)).as("a connection beyond the limit").isEqualTo("closed");

        for (Socket s : open.subList(0, LIMIT)) {
            assertThat(statusOf(s)).as("a request on a connection the gateway kept, proxied to concert-service").isEqualTo(200);
        }

        open.remove(0).close();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Socket again = connect();
            return "200".equals(answerOrClosed(again));
        });
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(RestAssured.baseURI.replace("http://", ""), RestAssured.port);
        s.setSoTimeout(10_000);
        open.add(s);
        return s;
    }

    /** The status of GET /api/v1/concerts (the public catalogue, proxied to concert-service) on this connection. */
    private static int statusOf(Socket s) throws IOException {
        String answer = answerOrClosed(s);
        assertThat(answer).as("an answer").isNotEqualTo("closed");
        return Integer.parseInt(answer);
    }

    private static String answerOrClosed(Socket s) throws IOException {
        try {
            s.getOutputStream().write(("GET /api/v1/concerts HTTP/1.1\r\nHost: gateway\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            String statusLine = in.readLine();
            if (statusLine == null) {
                return "closed";
            }
            int length = 0;
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            for (int i = 0; i < length; i++) {
                in.read();    // the body (ASCII JSON), so that the next request's answer starts clean
            }
            return statusLine.split(" ")[1];
        } catch (SocketException reset) {
            return "closed";
        }
    }
}
