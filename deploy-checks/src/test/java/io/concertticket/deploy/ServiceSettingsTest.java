package io.concertticket.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The mapping from environment variables to settings, on a small service laid out like ours. */
class ServiceSettingsTest {

    @TempDir
    Path root;

    private ServiceSettings fixture() throws IOException {
        Path service = root.resolve("demo-service");
        Files.createDirectories(service.resolve("src/main/resources"));
        Files.createDirectories(service.resolve("src/main/java/demo"));
        Files.createDirectories(root.resolve("demo-lib/src/main/java/lib"));
        Files.writeString(service.resolve("pom.xml"), """
                <project><dependencies>
                  <dependency><groupId>io.concertticket</groupId><artifactId>demo-lib</artifactId></dependency>
                  <dependency><groupId>io.quarkus</groupId><artifactId>quarkus-smallrye-health</artifactId></dependency>
                  <dependency><groupId>io.quarkus</groupId><artifactId>quarkus-micrometer-registry-prometheus</artifactId><scope>test</scope></dependency>
                </dependencies></project>
                """);
        Files.writeString(service.resolve("src/main/resources/application.properties"), """
                quarkus.http.port=${HTTP_PORT:8085}
                quarkus.datasource.jdbc.url=jdbc:postgresql://${DB_HOST:localhost}:5432/${DB_NAME:demo}
                %test.quarkus.test.only=${TEST_ONLY:x}
                %prod.demo.mode=strict
                mp.messaging.incoming.orders.connector=smallrye-kafka
                mp.messaging.incoming.orders.topic=shop.orders
                mp.messaging.incoming.orders.failure-strategy=dead-letter-queue
                mp.messaging.incoming.audit.connector=smallrye-kafka
                """);
        Files.writeString(service.resolve("src/main/java/demo/DemoConfig.java"), """
                package demo;
                import io.smallrye.config.ConfigMapping;
                import io.smallrye.config.WithDefault;
                import io.smallrye.config.WithName;
                import java.time.Duration;
                import java.util.Map;
                import java.util.Optional;
                @ConfigMapping(prefix = "demo")
                public interface DemoConfig {
                    Admission admission();
                    @WithName("ttl") Duration timeToLive();
                    Map<String, Route> routes();
                    Optional<String> maxRAMSize();
                    @WithDefault("demo.events") String eventsTopic();
                    default int ignored() { return 1; }
                    interface Admission {
                        @WithDefault("20") int batchSize();
                    }
                    interface Route {
                        String url();
                    }
                }
                """);
        Files.writeString(service.resolve("src/main/java/demo/Publisher.java"), """
                package demo;
                class Publisher { void run(Object outbox) { publish("demo.literal-events", "k"); } void publish(String t, String k) {} }
                """);
        Files.writeString(root.resolve("demo-lib/src/main/java/lib/LibConfig.java"), """
                package lib;
                @io.smallrye.config.ConfigMapping(prefix = "event-backbone")
                public interface LibConfig { Relay relay(); interface Relay { int batchSize(); } }
                """);
        return ServiceSettings.load("demo-service", root);
    }

    @Test
    void placeholdersPropertyKeysAndMappedPropertiesAreSettings() throws IOException {
        ServiceSettings s = fixture();
        assertThat(s.explain("HTTP_PORT")).isPresent();
        assertThat(s.explain("DB_NAME")).isPresent();
        assertThat(s.explain("QUARKUS_DATASOURCE_JDBC_URL")).isPresent();
        assertThat(s.explain("DEMO_MODE")).as("a %prod key").isPresent();
        assertThat(s.explain("DEMO_ADMISSION_BATCH_SIZE")).isPresent();
        assertThat(s.explain("DEMO_TTL")).as("@WithName").isPresent();
        assertThat(s.explain("DEMO_ROUTES_PAYMENTS_URL")).as("a map key").isPresent();
        assertThat(s.explain("DEMO_MAX_RAM_SIZE")).isPresent();
        assertThat(s.explain("EVENT_BACKBONE_RELAY_BATCH_SIZE")).as("a library the service depends on").isPresent();
    }

    @Test
    void aVariableNoSettingReadsIsRefused() throws IOException {
        ServiceSettings s = fixture();
        assertThat(s.explain("DEMO_ADMISSION_BATCHSIZE")).isEmpty();
        assertThat(s.explain("DEMO_TIME_TO_LIVE")).as("renamed by @WithName").isEmpty();
        assertThat(s.explain("DEMO_IGNORED")).as("a default method is no property").isEmpty();
        assertThat(s.explain("TEST_ONLY")).as("a %test placeholder does not apply in a deployment").isEmpty();
        assertThat(s.explain("DB_HOSTNAME")).isEmpty();
    }

    @Test
    void sourcesAreReadAsJava21() throws IOException {
        fixture();
        // a record pattern in a switch (Java 21): a parser at Java 17 refuses this file, and its setting with it
        Files.writeString(root.resolve("demo-service/src/main/java/demo/Shapes.java"), """
                package demo;
                @io.smallrye.config.ConfigMapping(prefix = "shapes")
                public interface Shapes {
                    int maxSides();
                    record Square(int side) {
                    }
                    static int area(Object shape) {
                        return switch (shape) {
                            case Square(int side) -> side * side;
                            default -> 0;
                        };
                    }
                }
                """);
        assertThat(ServiceSettings.load("demo-service", root).explain("SHAPES_MAX_SIDES")).isPresent();
    }

    @Test
    void aSourceThatDoesNotParseFailsTheScan() throws IOException {
        fixture();
        Path broken = root.resolve("demo-service/src/main/java/demo/Broken.java");
        Files.writeString(broken, """
                package demo;
                @io.smallrye.config.ConfigMapping(prefix = "broken")
                public interface Broken {
                    int size(
                }
                """);
        assertThatThrownBy(() -> ServiceSettings.load("demo-service", root))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(broken.toString());
    }

    @Test
    void portHealthAndMetricsFollowTheConfigurationAndTheDependencies() throws IOException {
        ServiceSettings s = fixture();
        assertThat(s.httpPort(Map.of())).isEqualTo(8085);
        assertThat(s.httpPort(Map.of("HTTP_PORT", "9000"))).isEqualTo(9000);
        assertThat(s.healthPaths(Map.of())).containsExactlyInAnyOrder("/q/health/live", "/q/health/ready", "/q/health/started");
        assertThat(s.metricsPath(Map.of())).as("the Prometheus registry is only a test dependency here").isEmpty();
    }

    @Test
    void withTheManagementInterfaceHealthAndMetricsMoveToItsPort() throws IOException {
        Path properties = fixture().dir.resolve("src/main/resources/application.properties");
        Files.writeString(properties, Files.readString(properties) + "quarkus.management.enabled=true\nquarkus.management.port=9000\n");
        ServiceSettings s = ServiceSettings.load("demo-service", root);
        assertThat(s.managementEnabled(Map.of())).isTrue();
        assertThat(s.operationsPort(Map.of())).isEqualTo(9000);
        assertThat(s.httpPort(Map.of())).isEqualTo(8085);
        assertThat(s.healthPaths(Map.of())).containsExactlyInAnyOrder("/q/health/live", "/q/health/ready", "/q/health/started");
        assertThat(s.explain("QUARKUS_MANAGEMENT_PORT")).isPresent();
        assertThat(fixture().operationsPort(Map.of())).as("without the interface: the HTTP port").isEqualTo(8085);
    }

    @Test
    void topicsComeFromChannelsDeadLetterQueuesConfigurationAndPublishedLiterals() throws IOException {
        assertThat(fixture().topics()).containsExactlyInAnyOrder(
                "shop.orders", "dead-letter-topic-orders", "audit", "demo.events", "demo.literal-events");
    }

    @Test
    void propertyNamesBecomeEnvironmentVariableNamesTheWaySmallRyeMapsThem() {
        assertThat(ServiceSettings.envName("event-backbone.relay.batch-size")).isEqualTo("EVENT_BACKBONE_RELAY_BATCH_SIZE");
        assertThat(ConfigMappingScanner.name("maxHoldsPerUser", "KEBAB_CASE")).isEqualTo("max-holds-per-user");
        assertThat(ConfigMappingScanner.name("maxRAMSize", "KEBAB_CASE")).isEqualTo("max-ram-size");
        assertThat(ConfigMappingScanner.name("batchSize", "NamingStrategy.VERBATIM")).isEqualTo("batchSize");
    }

    @Test
    void contractTopicsAreReadFromTheTopicTable() {
        assertThat(Contract.topicsOfContractsDoc("""
                | topic | key |
                |---|---|
                | `concert.reservation-events` | reservationId |
                | `queue.token-events` | userId |
                """)).containsExactlyInAnyOrder("concert.reservation-events", "queue.token-events");
    }
}
