package io.concertticket.infra;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link InfraMain} in a child JVM and reports its ports. Tests use this so that the
 * broker and database live outside the test JVM (no classpath clashes, and a test can stop
 * and restart Kafka on the same port to simulate an outage).
 *
 * <p>Keycloak is opt-in here (most tests do not need it and it takes half a minute to start): it runs
 * only when the options include {@code --keycloak-port N} (0 = a free port).
 */
public final class InfraProcess implements AutoCloseable {

    /** Keycloak's first start on a busy machine takes minutes. */
    private static final long START_TIMEOUT_SECONDS = 360;
    /**
     * InfraMain (the Kafka broker, PostgreSQL's launcher) lives for minutes and spends them mostly starting: without
     * the optimizing compiler (C2) such a JVM needs a third less CPU (measured on a Keycloak start: 22 CPU-seconds
     * instead of 33), which a two-core machine running a whole build feels. Keycloak's own JVM keeps C2 for its
     * hottest code ({@link #HOT_CODE_ONLY_C2}): it signs every sign-in's tokens with RSA, and without C2 Java's
     * big-integer arithmetic loses its intrinsics.
     */
    private static final String QUICK_JIT = "-XX:TieredStopAtLevel=1";
    /**
     * For Keycloak's JVM (through kc.sh's JAVA_OPTS_APPEND): C2 only for the hottest code, tier-4 thresholds ten
     * times the defaults, as the test JVMs that sign many tokens have (the root pom's test-jvm-flags-c2): the RSA
     * loops still reach C2, the compilations of a start and of code run a few thousand times do not. The build's
     * Keycloak through e2e-tests alone: 42 CPU-seconds instead of 53, its C2 threads 6 instead of 15 (2026-12-01).
     */
    private static final String HOT_CODE_ONLY_C2 = "-XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=6000"
            + " -XX:Tier4CompileThreshold=150000 -XX:Tier4BackEdgeThreshold=400000";

    private final Process process;
    private final int postgresPort;
    private final int kafkaPort;
    private final int keycloakPort;
    private final HopTokenKeys hopTokenKeys;
    private final List<String> args;
    private final Path log;

    private InfraProcess(Process process, int postgresPort, int kafkaPort, int keycloakPort, HopTokenKeys hopTokenKeys,
                         List<String> args, Path log) {
        this.process = process;
        this.postgresPort = postgresPort;
        this.kafkaPort = kafkaPort;
        this.keycloakPort = keycloakPort;
        this.hopTokenKeys = hopTokenKeys;
        this.args = args;
        this.log = log;
    }

    /** Starts InfraMain with the given options (see {@code InfraMain --help}); waits until it reports ready. */
    public static InfraProcess start(Path logFile, String... options) throws IOException {
        List<String> args = List.of(options);
        List<String> command = command(args);
        command.add("--exit-on-stdin-close");
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        Process process = processBuilder(command).redirectErrorStream(true).start();
        PrintWriter logWriter = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8), true);
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    logWriter.println(line);
                    if (line.startsWith(InfraMain.READY_MARKER)) {
                        ready.complete(line);
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
            ready.completeExceptionally(new IllegalStateException("infrastructure process ended before it was ready; see " + logFile));
        }, "infra-log-pump");
        pump.setDaemon(true);
        pump.start();
        String line;
        try {
            line = ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IOException("infrastructure did not start; see " + logFile, e);
        }
        return ready(process, line, args, logFile);
    }

    /**
     * Starts InfraMain detached from this JVM: it outlives this JVM and stops when the process {@code ownerPid}
     * ends (the tests' build-wide Keycloak stops with the Maven build, see
     * {@link io.concertticket.infra.testing.SharedInfrastructure#keycloakIssuer()}). Its output goes to {@code logFile}.
     */
    public static InfraProcess startOutliving(Path logFile, long ownerPid, String... options) throws IOException {
        List<String> args = List.of(options);
        List<String> command = command(args);
        command.add("--exit-with-process");
        command.add(Long.toString(ownerPid));
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        Process process = processBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        try {
            while (System.nanoTime() < deadline) {
                for (String line : Files.readAllLines(logFile, StandardCharsets.UTF_8)) {
                    if (line.startsWith(InfraMain.READY_MARKER)) {
                        return ready(process, line, args, logFile);
                    }
                }
                if (!process.isAlive()) {
                    throw new IOException("infrastructure process ended before it was ready; see " + logFile);
                }
                Thread.sleep(250);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        throw new IOException("infrastructure did not start; see " + logFile);
    }

    private static ProcessBuilder processBuilder(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().merge("JAVA_OPTS_APPEND", HOT_CODE_ONLY_C2, (given, ours) -> given + " " + ours);
        return pb;
    }

    private static List<String> command(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-XX:+UseSerialGC");
        command.add(QUICK_JIT);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(InfraMain.class.getName());
        command.add("--no-keycloak"); // undone by a --keycloak-port in the options
        command.addAll(args);
        return command;
    }

    /** The process that printed {@code line}, InfraMain's ready marker with its ports. */
    private static InfraProcess ready(Process process, String line, List<String> args, Path logFile) {
        int keysAt = line.indexOf(" keys=");
        HopTokenKeys keys = new HopTokenKeys(Path.of(line.substring(keysAt + " keys=".length())));
        int pg = -1;
        int kafka = -1;
        int keycloak = -1;
        for (String part : line.substring(InfraMain.READY_MARKER.length(), keysAt).trim().split(" ")) {
            String[] kv = part.split("=");
            switch (kv[0]) {
                case "postgres" -> pg = Integer.parseInt(kv[1]);
                case "kafka" -> kafka = Integer.parseInt(kv[1]);
                case "keycloak" -> keycloak = Integer.parseInt(kv[1]);
                default -> { }
            }
        }
        return new InfraProcess(process, pg, kafka, keycloak, keys, args, logFile);
    }

    public int postgresPort() {
        return postgresPort;
    }

    public int kafkaPort() {
        return kafkaPort;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/" + database;
    }

    /** -1 unless started with {@code --keycloak-port}. */
    public int keycloakPort() {
        return keycloakPort;
    }

    /** The {@code concert} realm's issuer URL ({@code OIDC_ISSUER}), e.g. {@code http://127.0.0.1:8180/realms/concert}. */
    public String keycloakIssuer() {
        if (keycloakPort < 0) {
            throw new IllegalStateException("Keycloak was not started: pass --keycloak-port");
        }
        return KeycloakServer.issuerUrl(keycloakPort);
    }

    /** The hop-token key pair in {@code <data dir>/keys/} ({@code HOP_TOKEN_PRIVATE/PUBLIC_KEY_LOCATION}). */
    public HopTokenKeys hopTokenKeys() {
        return hopTokenKeys;
    }

    public long pid() {
        return process.pid();
    }

    public List<String> options() {
        return args;
    }

    public Path log() {
        return log;
    }

    /** Stops gracefully (SIGTERM), then forcibly if it takes too long. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
