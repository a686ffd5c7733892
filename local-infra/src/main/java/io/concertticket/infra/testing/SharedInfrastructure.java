package io.concertticket.infra.testing;

import io.concertticket.infra.InfraProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * One PostgreSQL and one Kafka per test JVM, on free ports, with throw-away data under
 * {@code target/}; Keycloak too, but only for the tests that ask for it, and one for the whole Maven build
 * ({@link #keycloakIssuer()}).
 * Quarkus may load this class in several class loaders (one per application restart), so the ports
 * are shared through system properties, which are JVM-wide.
 */
public final class SharedInfrastructure {

    // Outside every service's @ConfigMapping prefix (concert-service maps "concert"): SmallRye
    // rejects unknown properties under a mapped prefix, and system properties are a config source.
    private static final String PG_PORT = "concertticket.test-infra.postgres-port";
    private static final String KAFKA_PORT = "concertticket.test-infra.kafka-port";
    private static final String KEYCLOAK_ISSUER = "concertticket.test-infra.keycloak-issuer";
    /** Set by the build (root pom): where the build-wide Keycloak is found ({@link #keycloakIssuer()}). */
    private static final String BUILD_DIR = "concertticket.test-infra.build-dir";
    /**
     * {@code -Dconcertticket.test-infra.unsafe-no-fsync=true}: PostgreSQL without fsync for this test JVM. Durable
     * is the default, as in production; the switch exists to measure what durability costs a suite
     * (docs/deployment.md) and for a test that states why it needs the speed.
     */
    private static final String UNSAFE_NO_FSYNC = "concertticket.test-infra.unsafe-no-fsync";

    /*
     * JVM-wide locks (Quarkus loads this class in several class loaders; a string literal is one object per JVM),
     * each held only by this class. Not the system properties' own lock: the JDK takes that itself (System.setProperty)
     * while holding others (the logger finder's, on a process start's first log call), and holding it across a
     * process start or an HTTP client's first use deadlocked the e2e platform's start (2026-11-30).
     */
    private static final String INFRA_LOCK = "io.concertticket.infra.testing.SharedInfrastructure.infra";
    private static final String KEYCLOAK_LOCK = "io.concertticket.infra.testing.SharedInfrastructure.keycloak";

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
        synchronized (INFRA_LOCK) {
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
     * started on first use, in an InfraMain process of its own (about half a minute, and a good share of the
     * suite's CPU). Under Maven one Keycloak serves the whole build: the build sets
     * {@code concertticket.test-infra.build-dir} (the root pom's surefire and failsafe configuration), the first
     * test JVM that asks starts it there, detached, and it stops when the Maven process ends; every later test
     * JVM of the same build finds it there. Tests sign in as the realm's demo accounts or create accounts of their
     * own, so sharing it is safe. Outside Maven (an IDE) each test JVM starts its own.
     */
    public static String keycloakIssuer() {
        synchronized (KEYCLOAK_LOCK) {
            String issuer = System.getProperty(KEYCLOAK_ISSUER);
            if (issuer != null) {
                return issuer;
            }
            try {
                String buildDir = System.getProperty(BUILD_DIR);
                Optional<ProcessHandle> maven = mavenProcess();
                issuer = buildDir != null && maven.isPresent()
                        ? buildKeycloak(Path.of(buildDir).resolve("keycloak"), maven.get())
                        : ownKeycloak();
                System.setProperty(KEYCLOAK_ISSUER, issuer);
                return issuer;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static String ownKeycloak() throws IOException {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target").toAbsolutePath()), "keycloak-");
        InfraProcess keycloak = InfraProcess.start(dir.resolve("infra.log"), keycloakOptions(dir));
        Runtime.getRuntime().addShutdownHook(new Thread(keycloak::close, "test-keycloak-stop"));
        return keycloak.keycloakIssuer();
    }

    /**
     * The build's Keycloak in {@code dir}: the one a test JVM of this Maven process started (its issuer and the
     * Maven process id are in {@code dir/keycloak.properties}) if it still answers, or a new one. A file lock keeps
     * two test JVMs of parallel modules from starting one each.
     */
    private static String buildKeycloak(Path dir, ProcessHandle maven) throws IOException {
        Files.createDirectories(dir);
        Path started = dir.resolve("keycloak.properties");
        try (FileChannel lock = FileChannel.open(dir.resolve("keycloak.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lock.lock()) {
            if (Files.isRegularFile(started)) {
                Properties p = new Properties();
                try (var in = Files.newBufferedReader(started)) {
                    p.load(in);
                }
                // recorded by this build, and alive: a Keycloak that died (killed, out of memory) while the build goes
                // on would fail every later test's sign-in, so a dead one is replaced
                if (Long.toString(maven.pid()).equals(p.getProperty("maven-pid")) && answers(p.getProperty("issuer"))) {
                    return p.getProperty("issuer");
                }
            }
            Path data = Files.createTempDirectory(dir, "keycloak-");
            InfraProcess keycloak = InfraProcess.startOutliving(data.resolve("infra.log"), maven.pid(), keycloakOptions(data));
            Properties p = new Properties();
            p.setProperty("maven-pid", Long.toString(maven.pid()));
            p.setProperty("issuer", keycloak.keycloakIssuer());
            try (var out = Files.newBufferedWriter(started)) {
                p.store(out, "the Keycloak of the Maven build with this pid (SharedInfrastructure)");
            }
            return keycloak.keycloakIssuer();
        }
    }

    /**
     * Whether {@code issuer} serves its discovery document ({@code <issuer>/.well-known/openid-configuration}). A dead
     * Keycloak refuses the connection at once; a live one on a machine busy with four modules' tests may take seconds,
     * and taking it for dead would start a second Keycloak on the same cores.
     */
    static boolean answers(String issuer) {
        if (issuer == null || issuer.isBlank()) {
            return false;
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration"))
                    .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String[] keycloakOptions(Path dataDir) {
        return new String[] {"--data-dir", dataDir.toString(), "--no-postgres", "--no-kafka", "--keycloak-port", "0"};
    }

    /** The Maven JVM that forked this test JVM (surefire and failsafe fork through a shell or directly). */
    private static Optional<ProcessHandle> mavenProcess() {
        Optional<ProcessHandle> p = ProcessHandle.current().parent();
        while (p.isPresent()) {
            if (p.get().info().commandLine().orElse("").contains("org.codehaus.plexus.classworlds.launcher.Launcher")) {
                return p;
            }
            p = p.get().parent();
        }
        return Optional.empty();
    }
}
