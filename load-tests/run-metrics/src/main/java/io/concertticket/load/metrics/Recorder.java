package io.concertticket.load.metrics;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * Scrapes each target's Prometheus endpoint at a fixed interval and appends what it served to a {@link Recording}
 * file. A target whose last scrape has not answered yet is skipped for that tick (a busy service is not asked twice);
 * each scrape is flushed when written, so a recorder that is killed leaves a readable file.
 */
public final class Recorder implements AutoCloseable {

    private final Map<String, URI> targets;
    private final Duration interval;
    private final Writer out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "scrape-ticks");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Boolean> inFlight = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public Recorder(Path file, Map<String, URI> targets, Duration interval) throws IOException {
        this.targets = Map.copyOf(targets);
        this.interval = interval;
        this.out = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(file), 1 << 16, true), StandardCharsets.UTF_8);
    }

    public void start() {
        ticks.scheduleAtFixedRate(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        targets.forEach((service, uri) -> {
            if (inFlight.putIfAbsent(service, Boolean.TRUE) != null) {
                return;
            }
            long millis = System.currentTimeMillis();
            http.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                    .whenComplete((response, failure) -> {
                        try {
                            if (failure != null) {
                                write(service, millis, null, failure.getClass().getSimpleName() + ": " + failure.getMessage());
                            } else if (response.statusCode() != 200) {
                                write(service, millis, null, "HTTP " + response.statusCode());
                            } else {
                                write(service, millis, response.body(), null);
                            }
                        } finally {
                            inFlight.remove(service);
                        }
                    });
        });
    }

    private synchronized void write(String service, long millis, String body, String failure) {
        if (closed) {
            return;
        }
        try {
            Recording.write(out, service, millis, body, failure);
            out.flush();
        } catch (IOException e) {
            System.err.println("run-metrics: cannot write the recording: " + e);
        }
    }

    @Override
    public void close() throws IOException {
        ticks.shutdownNow();
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        synchronized (this) {
            closed = true;
            out.close();
        }
    }
}
