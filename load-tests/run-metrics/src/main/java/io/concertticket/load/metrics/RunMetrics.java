package io.concertticket.load.metrics;

import io.concertticket.load.metrics.Query.Context;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The operator's metrics over a load run (issue 20, item 4), used by load-tests/run-load.sh:
 * <pre>
 *   record --out FILE [--interval-ms 1000] service=http://host:port/q/metrics ...   (until SIGTERM)
 *   render --samples FILE --dashboard JSON --out HTML [--title TEXT] [--gatling RELATIVE-LINK] [--step-ms 1000]
 * </pre>
 */
public final class RunMetrics {

    static final String NAMESPACE = "concert-platform";

    private RunMetrics() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
        }
        Map<String, String> options = new LinkedHashMap<>();
        Map<String, URI> targets = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                options.put(args[i].substring(2), args[++i]);
            } else {
                int eq = args[i].indexOf('=');
                targets.put(args[i].substring(0, eq), URI.create(args[i].substring(eq + 1)));
            }
        }
        switch (args[0]) {
            case "record" -> record(Path.of(required(options, "out")), targets,
                    Duration.ofMillis(Long.parseLong(options.getOrDefault("interval-ms", "1000"))));
            case "render" -> render(options);
            default -> usage();
        }
    }

    private static void record(Path out, Map<String, URI> targets, Duration interval) throws Exception {
        Recorder recorder = new Recorder(out, targets, interval);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                recorder.close();
            } catch (Exception e) {
                System.err.println("run-metrics: " + e);
            }
            stopped.countDown();
        }));
        recorder.start();
        stopped.await(); // until SIGTERM / SIGINT
    }

    private static void render(Map<String, String> options) throws Exception {
        Path samples = Path.of(required(options, "samples"));
        List<Panel> panels = new ArrayList<>(Panel.fromDashboard(Path.of(required(options, "dashboard")), NAMESPACE));
        panels.addAll(Panel.machine());
        Set<String> names = Query.names(ChartPage.expressions(panels));
        Recording recording = Recording.read(samples, names::contains);
        Context context = new Context(recording, ChartPage.targetLabels(recording.byService().keySet(), NAMESPACE), 15_000);
        String html = ChartPage.render(options.getOrDefault("title", "Operator's metrics during the run"), recording, context, panels,
                options.get("gatling"), Long.parseLong(options.getOrDefault("step-ms", "1000")));
        Files.writeString(Path.of(required(options, "out")), html, StandardCharsets.UTF_8);
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            usage();
        }
        return value;
    }

    private static void usage() {
        System.err.println("""
                usage: RunMetrics record --out FILE [--interval-ms 1000] service=http://host:port/q/metrics ...
                       RunMetrics render --samples FILE --dashboard JSON --out HTML [--title TEXT] [--gatling LINK] [--step-ms 1000]""");
        System.exit(2);
    }
}
