package io.concertticket.infra;

import io.concertticket.testing.LongScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keycloak on the JDK that runs the platform here (Java 24+): its JBoss pool threads reset their thread-locals through
 * java.lang internals when they end, which needs the opening {@link KeycloakServer} adds. Without it every pool thread
 * ended with an IllegalAccessError's stack trace in the log (seen on JDK 25: one per thread, at idle time-out and at
 * every stop). A Keycloak of its own, stopped as run.sh stops it, so its whole log is this test's: about half a minute.
 */
@LongScenario
class KeycloakThreadsTest {

    @Test
    void poolThreadsEndWithoutAnErrorWhenKeycloakStops(@TempDir Path dataDir) throws Exception {
        KeycloakServer keycloak = KeycloakServer.start(InfraMain.freePort(), InfraMain.freePort(), dataDir, true);
        HttpClient http = HttpClient.newHttpClient();
        try {
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(keycloak.issuer() + "/protocol/openid-connect/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=concert-cli&username=buyer1&password=buyer1"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
            }
        } finally {
            keycloak.close();
        }

        String log = Files.readString(dataDir.resolve("keycloak.log"));
        assertThat(log).contains("Keycloak stopped");
        assertThat(log).doesNotContain("IllegalAccessError").doesNotContain("Could not initialize class org.jboss.threads");
    }
}
