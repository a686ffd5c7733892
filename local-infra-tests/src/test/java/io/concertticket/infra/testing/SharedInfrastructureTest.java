package io.concertticket.infra.testing;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The liveness check that decides whether the Keycloak a build recorded is reused: only an issuer that serves its
 * discovery document counts, so a Keycloak that died is replaced instead of failing every later sign-in.
 */
class SharedInfrastructureTest {

    @Test
    void anIssuerThatServesItsDiscoveryDocumentAnswers() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/realms/concert/.well-known/openid-configuration", exchange -> {
            byte[] body = "{\"issuer\":\"x\"}".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/";
            assertThat(SharedInfrastructure.answers(base + "concert")).isTrue();
            // something answers on the port, but not this realm's discovery document (404)
            assertThat(SharedInfrastructure.answers(base + "other")).isFalse();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anIssuerWhoseProcessIsGoneDoesNotAnswer() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // free again once closed: nothing listens there
        }
        assertThat(SharedInfrastructure.answers("http://127.0.0.1:" + port + "/realms/concert")).isFalse();
        assertThat(SharedInfrastructure.answers(null)).isFalse();
    }
}
