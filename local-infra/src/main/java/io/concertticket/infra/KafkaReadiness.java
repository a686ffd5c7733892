package io.concertticket.infra;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Waits until a broker answers metadata requests: "port open" is not yet "ready". */
final class KafkaReadiness {
    private KafkaReadiness() {
    }

    static void await(String bootstrapServers, Duration timeout) throws InterruptedException {
        await(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), timeout);
    }

    /** With the client settings the broker needs (bootstrap servers and, for a SASL broker, the login). */
    static void await(Map<String, Object> clientConfig, Duration timeout) throws InterruptedException {
        String bootstrapServers = String.valueOf(clientConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        Instant deadline = Instant.now().plus(timeout);
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            Map<String, Object> config = new java.util.HashMap<>(clientConfig);
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
            try (Admin admin = Admin.create(config)) {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                last = e;
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("Kafka at " + bootstrapServers + " not ready after " + timeout, last);
    }
}
