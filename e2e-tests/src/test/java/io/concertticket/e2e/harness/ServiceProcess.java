package io.concertticket.e2e.harness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service as a separate JVM, started the way ./run.sh starts it: {@code java -jar quarkus-run.jar}
 * with its settings in environment variables. Restartable on the same ports with the same log file
 * (appended), so a test can kill it (SIGKILL), stop it (SIGTERM) and bring it back. The prod profile serves
 * health and metrics on the management interface ({@code MANAGEMENT_PORT}, a free port of its own per
 * service), so readiness is asked there.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(240);
    private static final HttpClient HEALTH = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path jar;
    private final int port;
    private final int managementPort;
    private final Path log;
    private final Map<String, String> env;
    /** -Xmx: replicas get less, so eight JVMs fit the machine. */
    private final String maxHeap;
    private Process process;

    ServiceProcess(String name, Path jar, int port, int managementPort, Path log, Map<String, String> env) {
        this(name, jar, port, managementPort, log, env, "384m");
    }

    ServiceProcess(String name, Path jar, int port, int managementPort, Path log, Map<String, String> env, String maxHeap) {
        this.maxHeap = maxHeap;
        this.name = name;
        this.jar = jar;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
        this.env = new LinkedHashMap<>(env);
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The management interface: /q/health, /q/metrics (never routed by the gateway). */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    public Map<String, String> env() {
        return Map.copyOf(env);
    }

    /** Starts the JVM and waits until /q/health/ready on the management port answers UP. */
    public synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // small and quick to start: four of these share two CPU cores with the test and the brokers
        command.addAll(List.of("-Xmx" + maxHeap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k"));
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        pb.environment().put("HTTP_PORT", Integer.toString(port));
        pb.environment().put("MANAGEMENT_PORT", Integer.toString(managementPort));
        Files.writeString(log, "\n===== e2e: starting " + name + " at " + Instant.now() + " on port " + port
                        + " (management " + managementPort + ") =====\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        process = pb.start();
        awaitReady();
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + " before it was ready; log "
                        + log + ":\n" + tail());
            }
            try {
                HttpResponse<String> r = HEALTH.send(HttpRequest.newBuilder(URI.create(managementUrl() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                last = r.statusCode() + " " + r.body();
                if (r.statusCode() == 200 && r.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            sleep(300);
        }
        throw new IOException(name + " not ready after " + READY_TIMEOUT + " (last: " + last + "); log " + log + ":\n" + tail());
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye to Kafka. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(30));
            appendMarker("killed (SIGKILL)");
        }
    }

    /** SIGTERM: a graceful shutdown. */
    public synchronized void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!waitFor(Duration.ofSeconds(40))) {
                process.destroyForcibly();
                waitFor(Duration.ofSeconds(10));
            }
            appendMarker("stopped (SIGTERM)");
        }
    }

    /** Graceful stop, then start with these settings changed (null removes one). */
    public synchronized void restart(Map<String, String> changes) throws IOException {
        stop();
        changes.forEach((k, v) -> {
            if (v == null) {
                env.remove(k);
            } else {
                env.put(k, v);
            }
        });
        start();
    }

    public synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    private boolean waitFor(Duration d) {
        try {
            return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void appendMarker(String what) {
        try {
            Files.writeString(log, "\n===== e2e: " + name + " " + what + " at " + Instant.now() + " =====\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // only a marker
        }
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
