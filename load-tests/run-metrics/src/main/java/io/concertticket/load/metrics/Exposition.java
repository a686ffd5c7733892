package io.concertticket.load.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the Prometheus text exposition format as the services' {@code /q/metrics} serve it (Micrometer's Prometheus
 * registry): {@code name{label="value",...} value [timestamp]}, comments and {@code # TYPE}/{@code # HELP} lines
 * skipped, label values with {@code \\}, {@code \"} and {@code \n} escapes, {@code +Inf}/{@code -Inf}/{@code NaN}, and
 * the OpenMetrics exemplar after a sample ({@code ... 32.0 # {span_id="..",trace_id=".."} 1.0 1795931056.2}), which
 * the services add while OpenTelemetry is on.
 */
public final class Exposition {

    /** One sample: a series (name and labels, sorted by label name) and its value. */
    public record Sample(String name, Map<String, String> labels, double value) {
        public Sample {
            labels = Collections.unmodifiableMap(new TreeMap<>(labels));
        }

        /** The series as Prometheus writes it, labels sorted: the key that identifies it across scrapes. */
        public String series() {
            return Exposition.series(name, labels);
        }
    }

    private Exposition() {
    }

    public static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        int lineNumber = 0;
        for (String line : text.split("\n")) {
            lineNumber++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            try {
                samples.add(parseLine(l));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + lineNumber + " is not a sample: " + line, e);
            }
        }
        return samples;
    }

    static Sample parseLine(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
            i++;
        }
        String name = line.substring(0, i);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("no metric name");
        }
        Map<String, String> labels = new TreeMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (true) {
                i = skipSpaces(line, i);
                if (line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int eq = line.indexOf('=', i);
                String label = line.substring(i, eq).strip();
                i = skipSpaces(line, eq + 1);
                if (line.charAt(i) != '"') {
                    throw new IllegalArgumentException("label value not quoted");
                }
                StringBuilder value = new StringBuilder();
                i++;
                while (line.charAt(i) != '"') {
                    char c = line.charAt(i);
                    if (c == '\\') {
                        char next = line.charAt(++i);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                    i++;
                }
                labels.put(label, value.toString());
                i = skipSpaces(line, i + 1);
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
        }
        String rest = line.substring(i).strip();
        int exemplar = rest.indexOf(" #");
        if (exemplar >= 0) {
            rest = rest.substring(0, exemplar).strip();
        }
        String value = rest.split("[ \t]+")[0]; // a timestamp may follow
        return new Sample(name, labels, parseValue(value));
    }

    static double parseValue(String value) {
        return switch (value) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(value);
        };
    }

    /** {@code name{a="1",b="2"}}, labels in the given (sorted) order, values escaped as in the format. */
    static String series(String name, Map<String, String> labels) {
        if (labels.isEmpty()) {
            return name;
        }
        StringBuilder s = new StringBuilder(name).append('{');
        labels.forEach((k, v) -> s.append(k).append("=\"")
                .append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append("\","));
        s.setCharAt(s.length() - 1, '}');
        return s.toString();
    }

    private static int skipSpaces(String line, int i) {
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }
}
