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
 */
public final class InfraProcess implements AutoCloseable {

    private final Process process;
    private final int postgresPort;
    private final int kafkaPort;
    private final List<String> args;
    private final Path log;

    private InfraProcess(Process process, int postgresPort, int kafkaPort, List<String> args, Path log) {
        this.process = process;
        this.postgresPort = postgresPort;
        this.kafkaPort = kafkaPort;
        this.args = args;
        this.log = log;
    }

    /** Starts InfraMain with the given options (see {@code InfraMain --help}); waits until it reports ready. */
    public static InfraProcess start(Path logFile, String... options) throws IOException {
        List<String> args = List.of(options);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(InfraMain.class.getName());
        command.addAll(args);
        command.add("--exit-on-stdin-close");
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
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
            line = ready.get(180, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IOException("infrastructure did not start; see " + logFile, e);
        }
        int pg = -1;
        int kafka = -1;
        for (String part : line.substring(InfraMain.READY_MARKER.length()).trim().split(" ")) {
            String[] kv = part.split("=");
            if (kv[0].equals("postgres")) {
                pg = Integer.parseInt(kv[1]);
            } else if (kv[0].equals("kafka")) {
                kafka = Integer.parseInt(kv[1]);
            }
        }
        return new InfraProcess(process, pg, kafka, args, logFile);
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
