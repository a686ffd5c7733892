package io.concertticket.infra.testing;

import io.concertticket.infra.InfraProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One PostgreSQL and one Kafka per test JVM, on free ports, with throw-away data under
 * {@code target/}; Keycloak too, but only for the tests that ask for it ({@link #keycloakIssuer()}).
 * Quarkus may load this class in several class loaders (one per application restart), so the ports
 * are shared through system properties, which are JVM-wide.
 */
public final class SharedInfrastructure {

    // Outside every service's @ConfigMapping prefix (concert-service maps "concert"): SmallRye
    // rejects unknown properties under a mapped prefix, and system properties are a config source.
    private static final String PG_PORT = "concertticket.test-infra.postgres-port";
    private static final String KAFKA_PORT = "concertticket.test-infra.kafka-port";
    private static final String KEYCLOAK_ISSUER = "concertticket.test-infra.keycloak-issuer";
    /**
     * {@code -Dconcertticket.test-infra.unsafe-no-fsync=true}: PostgreSQL without fsync for this test JVM. Durable
     * is the default, as in production; the switch exists to measure what durability costs a suite
     * (docs/deployment.md) and for a test that states why it needs the speed.
     */
    private static final String UNSAFE_NO_FSYNC = "concertticket.test-infra.unsafe-no-fsync";

    private SharedInfrastructure() {
    }

    public record Endpoints(int postgresPort, int kafkaPort) {
        public String jdbcUrl(String database) {
            return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/" + database;
        }

        public String bootstrapServers() {
            return "127.0.0.1:" + kafkaPort;
        }
    }

    public static Endpoints get() {
        synchronized (System.getProperties()) {
            String pg = System.getProperty(PG_PORT);
            if (pg != null) {
                return new Endpoints(Integer.parseInt(pg), Integer.parseInt(System.getProperty(KAFKA_PORT)));
            }
            try {
                Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "infra-");
                java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
                        "--data-dir", dir.toString(), "--postgres-port", "0", "--kafka-port", "0", "--kafka-controller-port", "0"));
                if (Boolean.getBoolean(UNSAFE_NO_FSYNC)) {
                    args.add("--unsafe-no-fsync");
                }
                InfraProcess infra = InfraProcess.start(dir.resolve("infra.log"), args.toArray(String[]::new));
                Runtime.getRuntime().addShutdownHook(new Thread(infra::close, "test-infra-stop"));
                System.setProperty(PG_PORT, Integer.toString(infra.postgresPort()));
                System.setProperty(KAFKA_PORT, Integer.toString(infra.kafkaPort()));
                return new Endpoints(infra.postgresPort(), infra.kafkaPort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * The issuer URL of the {@code concert} realm ({@code http://127.0.0.1:<port>/realms/concert}) of a Keycloak
     * started on first use for this test JVM, in an InfraMain process of its own (about half a minute).
     */
    public static String keycloakIssuer() {
        synchronized (System.getProperties()) {
            String issuer = System.getProperty(KEYCLOAK_ISSUER);
            if (issuer != null) {
                return issuer;
            }
            try {
                Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target").toAbsolutePath()), "keycloak-");
                InfraProcess keycloak = InfraProcess.start(dir.resolve("infra.log"),
                        "--data-dir", dir.toString(), "--no-postgres", "--no-kafka", "--keycloak-port", "0");
                Runtime.getRuntime().addShutdownHook(new Thread(keycloak::close, "test-keycloak-stop"));
                System.setProperty(KEYCLOAK_ISSUER, keycloak.keycloakIssuer());
                return keycloak.keycloakIssuer();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
