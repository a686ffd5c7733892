package io.concertticket.load.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A chart: a title, a unit (Grafana's: short, reqps, s, bytes, percentunit) and its queries, each with a legend
 * ({@code {{label}}} replaced by the series' label). The dashboard's panels are read from its JSON, so the run's
 * charts ask what the dashboard asks.
 */
public record Panel(String title, String description, String unit, List<Target> targets) {

    public record Target(String expr, String legend) {
    }

    /**
     * The dashboard's time series panels, its variables replaced as Grafana would with everything selected
     * ({@code $concert} = {@code .*}) and {@code $namespace} by the namespace the samples are labelled with.
     */
    public static List<Panel> fromDashboard(Path json, String namespace) throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(json.toFile());
        Map<String, String> variables = new java.util.LinkedHashMap<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            String name = variable.path("name").asText();
            variables.put(name, switch (variable.path("type").asText()) {
                case "constant" -> name.equals("namespace") ? namespace : variable.path("query").asText();
                case "query" -> variable.path("allValue").asText(".*");
                default -> "";
            });
        }
        List<Panel> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (!panel.path("type").asText().equals("timeseries")) {
                continue;
            }
            List<Target> targets = new ArrayList<>();
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                for (Map.Entry<String, String> v : variables.entrySet()) {
                    expr = expr.replace("${" + v.getKey() + "}", v.getValue()).replace("$" + v.getKey(), v.getValue());
                }
                targets.add(new Target(expr, target.path("legendFormat").asText("")));
            }
            panels.add(new Panel(panel.path("title").asText(), panel.path("description").asText(""),
                    panel.path("fieldConfig").path("defaults").path("unit").asText("short"), targets));
        }
        return panels;
    }

    /** Not on the dashboard, but what a load run needs next to it: how busy each JVM and the machine were. */
    public static List<Panel> machine() {
        return List.of(
                new Panel("CPU per service (the JVM process)", "share of the whole machine (all cores) the process used",
                        "percentunit", List.of(new Target("max by (pod) (process_cpu_usage)", "{{pod}}"))),
                new Panel("CPU of the whole machine", "as the JVMs see it: everything on the machine, the load generator and other work included",
                        "percentunit", List.of(new Target("max (system_cpu_usage)", "machine"))),
                new Panel("Heap used per service", "", "bytes",
                        List.of(new Target("sum by (pod) (jvm_memory_used_bytes{area=\"heap\"})", "{{pod}}"))),
                new Panel("GC pause time per second per service", "seconds of stop-the-world pause per second", "s",
                        List.of(new Target("sum by (pod) (rate(jvm_gc_pause_seconds_sum[1m]))", "{{pod}}"))));
    }
}
