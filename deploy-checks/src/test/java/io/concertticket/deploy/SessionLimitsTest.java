package io.concertticket.deploy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limits that keep a frozen replica or a closed connection from stalling the platform are set in every
 * service's application.properties, and the gateway's pool gives up idle connections before a service closes
 * them (docs/deployment.md, "When things fail").
 */
class SessionLimitsTest {

    private static final List<String> WITH_DATABASE = List.of("queue-service", "concert-service", "payment-service");

    @Test
    void everyServiceWithADatabaseEndsStuckSessionsAndBoundsLockWaits() {
        for (String service : WITH_DATABASE) {
            Map<String, String> p = properties(service);
            String options = p.getOrDefault("quarkus.datasource.jdbc.additional-jdbc-properties.options", "");
            assertThat(options).as(service + " session options")
                    .contains("-c idle_in_transaction_session_timeout=", "-c lock_timeout=", "-c statement_timeout=",
                            "-c tcp_keepalives_idle=", "-c client_connection_check_interval=");
            assertThat(p.get("quarkus.datasource.jdbc.additional-jdbc-properties.tcpKeepAlive")).as(service + " tcpKeepAlive").isEqualTo("true");
        }
    }

    @Test
    void noPodLeavesItsServiceBecauseKafkaIsAway() {
        for (String service : Repository.services()) {
            Map<String, String> p = properties(service);
            if (!p.containsKey("kafka.bootstrap.servers")) {
                continue;   // talks to no broker
            }
            assertThat(p.get("quarkus.kafka.health.enabled")).as(service + ": Quarkus' Kafka readiness check").isEqualTo("false");
            p.keySet().stream().filter(k -> k.matches("mp\\.messaging\\.incoming\\.[^.]+\\.connector"))
                    .map(k -> k.substring(0, k.length() - "connector".length()) + "health-readiness-enabled")
                    .forEach(k -> assertThat(p.get(k)).as(service + ": " + k).isEqualTo("false"));
        }
    }

    @Test
    void theGatewayRetiresPooledConnectionsBeforeAServiceClosesThem() {
        Duration gatewayPoolIdle = Duration.ofSeconds(30);   // GatewayConfig.Proxy#poolIdleTimeout's default
        String configured = properties("api-gateway").get("gateway.proxy.pool-idle-timeout");
        if (configured != null) {
            gatewayPoolIdle = duration(configured);
        }
        for (String service : WITH_DATABASE) {
            String idle = properties(service).get("quarkus.http.idle-timeout");
            assertThat(idle).as(service + " sets quarkus.http.idle-timeout explicitly").isNotNull();
            assertThat(duration(idle)).as(service + " idle timeout vs the gateway's pool idle timeout").isGreaterThan(gatewayPoolIdle);
        }
    }

    private static Map<String, String> properties(String service) {
        return ServiceSettings.readProperties(Repository.resolve(service + "/src/main/resources/application.properties"));
    }

    private static Duration duration(String value) {
        String v = value.trim();
        return v.startsWith("P") ? Duration.parse(v) : Duration.parse("PT" + v.toUpperCase());
    }
}
