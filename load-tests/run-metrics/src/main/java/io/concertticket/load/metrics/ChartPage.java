package io.concertticket.load.metrics;

import io.concertticket.load.metrics.Panel.Target;
import io.concertticket.load.metrics.Query.Context;
import io.concertticket.load.metrics.Query.Expr;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One self-contained HTML page (inline SVG, no script, nothing fetched when it is opened): each panel's queries
 * evaluated over the recording at a fixed step, one line per series, and under each chart its series' maximum and
 * last value.
 */
public final class ChartPage {

    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
            "#17becf", "#7f7f7f", "#bcbd22", "#393b79", "#ad494a"};
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    private static final int WIDTH = 620;
    private static final int HEIGHT = 230;
    private static final int LEFT = 64;
    private static final int RIGHT = 12;
    private static final int TOP = 10;
    private static final int BOTTOM = 26;

    /** A series of one chart: its legend and its values at the page's times (NaN where it had none). */
    record Line(String legend, double[] values) {
    }

    private ChartPage() {
    }

    public static String render(String title, Recording recording, Context context, List<Panel> panels, String gatlingReport,
                                long stepMillis) {
        long start = recording.start();
        long end = recording.end();
        // every step from the first scrape, and the last scrape's time itself
        int n = (int) ((end - start + stepMillis - 1) / stepMillis) + 1;
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            times[i] = Math.min(end, start + i * stepMillis);
        }
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title)).append("</title>\n")
                .append("<style>body{font-family:system-ui,sans-serif;margin:16px;color:#222}h1{font-size:20px}")
                .append(".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(640px,1fr));gap:18px}")
                .append("figure{margin:0;border:1px solid #ddd;border-radius:6px;padding:8px}figcaption{font-weight:600}")
                .append("code{font-size:11px;color:#555;display:block;white-space:pre-wrap;word-break:break-all}")
                .append("table{border-collapse:collapse;font-size:12px}td{padding:1px 6px}td.n{text-align:right;font-variant-numeric:tabular-nums}")
                .append(".sw{display:inline-block;width:12px;height:3px;vertical-align:middle}.none{color:#999;font-style:italic}")
                .append("p.d{font-size:12px;color:#555;margin:2px 0}</style></head><body>\n");
        html.append("<h1>").append(esc(title)).append("</h1>\n<p>")
                .append(WHEN.format(Instant.ofEpochMilli(start))).append(" to ").append(CLOCK.format(Instant.ofEpochMilli(end)))
                .append(" (").append((end - start) / 1000).append(" s). Scrapes: ");
        List<String> counts = new ArrayList<>();
        recording.byService().forEach((service, scrapes) -> counts.add(esc(service) + " " + scrapes.size()
                + (recording.failures().containsKey(service) ? " (" + recording.failures().get(service) + " failed)" : "")));
        html.append(String.join(", ", counts)).append(".");
        if (gatlingReport != null) {
            html.append(" Gatling's report of the same run: <a href=\"").append(esc(gatlingReport)).append("\">")
                    .append(esc(gatlingReport)).append("</a>.");
        }
        html.append("</p>\n<p class=\"d\">Each chart is a panel of the Grafana dashboard (k8s/base/grafana/concert-sale-dashboard.json), ")
                .append("its PromQL evaluated over the samples every ").append(stepMillis / 1000.0).append(" s with the panel's own ")
                .append("rate windows; <code style=\"display:inline\">pod</code> is the service. The last charts are the JVMs and the machine. ")
                .append("Times are UTC.</p>\n<div class=\"grid\">\n");

        Set<String> unseen = new TreeSet<>();
        Set<String> seen = recording.names();
        for (Panel panel : panels) {
            List<Line> lines = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            for (Target target : panel.targets()) {
                try {
                    Expr expr = Query.parse(target.expr());
                    expr.names().stream().filter(name -> !seen.contains(name)).forEach(unseen::add);
                    Query.range(expr, context, times).forEach((labels, values) -> lines.add(new Line(legend(target.legend(), labels), values)));
                } catch (IllegalArgumentException e) {
                    problems.add("not drawn: " + e.getMessage());
                }
            }
            html.append("<figure><figcaption>").append(esc(panel.title())).append("</figcaption>\n");
            if (!panel.description().isBlank()) {
                html.append("<p class=\"d\">").append(esc(panel.description())).append("</p>");
            }
            html.append(svg(lines, times, panel.unit()));
            html.append(legendTable(lines, panel.unit()));
            for (String problem : problems) {
                html.append("<p class=\"none\">").append(esc(problem)).append("</p>");
            }
            for (Target target : panel.targets()) {
                html.append("<code>").append(esc(target.expr())).append("</code>");
            }
            html.append("</figure>\n");
        }
        html.append("</div>\n");
        if (!unseen.isEmpty()) {
            html.append("<p>Metrics the charts query that no scrape of this run contained: <code style=\"display:inline\">")
                    .append(esc(String.join(", ", unseen))).append("</code></p>\n");
        }
        html.append("</body></html>\n");
        return html.toString();
    }

    private static final Pattern LEGEND_LABEL = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}");

    static String legend(String format, Map<String, String> labels) {
        if (format.isBlank()) {
            return labels.isEmpty() ? "value" : labels.toString();
        }
        Matcher m = LEGEND_LABEL.matcher(format);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(labels.getOrDefault(m.group(1), "")));
        }
        m.appendTail(out);
        return out.toString().strip();
    }

    static String svg(List<Line> lines, long[] times, String unit) {
        double max = 0;
        for (Line line : lines) {
            for (double v : line.values()) {
                if (Double.isFinite(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        double yStep = niceStep(max > 0 ? max : 1, 4);
        double yMax = Math.ceil((max > 0 ? max : 1) / yStep) * yStep;
        long t0 = times[0];
        long span = Math.max(1, times[times.length - 1] - t0);
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT).append("\" font-size=\"10\">");
        for (double y = 0; y <= yMax + yStep / 2; y += yStep) {
            double py = TOP + plotH - y / yMax * plotH;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>", LEFT, WIDTH - RIGHT, py, py));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#666\">%s</text>", LEFT - 4, py + 3,
                    esc(format(y, unit))));
        }
        long xStep = timeStep(span);
        for (long t = (t0 / xStep + 1) * xStep; t <= t0 + span; t += xStep) {
            double px = LEFT + (t - t0) / (double) span * plotW;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>", px, px, TOP, TOP + plotH));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#666\">%s</text>", px, HEIGHT - 8,
                    CLOCK.format(Instant.ofEpochMilli(t))));
        }
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" stroke=\"#ccc\"/>", LEFT, TOP, plotW, plotH));
        if (lines.isEmpty()) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\" fill=\"#999\">no series in this run</text>",
                    LEFT + plotW / 2, TOP + plotH / 2));
        }
        for (int l = 0; l < lines.size(); l++) {
            Line line = lines.get(l);
            String color = COLORS[l % COLORS.length];
            svg.append("<g><title>").append(esc(line.legend())).append("</title>");
            StringBuilder points = new StringBuilder();
            for (int i = 0; i <= times.length; i++) {
                double v = i < times.length ? line.values()[i] : Double.NaN;
                if (Double.isFinite(v)) {
                    double px = LEFT + (times[i] - t0) / (double) span * plotW;
                    double py = TOP + plotH - v / yMax * plotH;
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
                } else if (!points.isEmpty()) {
                    svg.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"1.5\" points=\"")
                            .append(points.toString().strip()).append("\"/>");
                    points.setLength(0);
                }
            }
            svg.append("</g>");
        }
        return svg.append("</svg>\n").toString();
    }

    private static String legendTable(List<Line> lines, String unit) {
        if (lines.isEmpty()) {
            return "";
        }
        StringBuilder t = new StringBuilder("<table><tr><td></td><td></td><td class=\"n\">max</td><td class=\"n\">last</td></tr>");
        for (int l = 0; l < lines.size(); l++) {
            double max = Double.NaN;
            double last = Double.NaN;
            for (double v : lines.get(l).values()) {
                if (Double.isFinite(v)) {
                    max = Double.isNaN(max) ? v : Math.max(max, v);
                    last = v;
                }
            }
            t.append("<tr><td><span class=\"sw\" style=\"background:").append(COLORS[l % COLORS.length]).append("\"></span></td><td>")
                    .append(esc(lines.get(l).legend())).append("</td><td class=\"n\">").append(esc(format(max, unit)))
                    .append("</td><td class=\"n\">").append(esc(format(last, unit))).append("</td></tr>");
        }
        return t.append("</table>\n").toString();
    }

    /** A value in the panel's unit, as Grafana would roughly show it. */
    static String format(double v, String unit) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return switch (unit) {
            case "s" -> v < 1 ? trim(v * 1000) + " ms" : trim(v) + " s";
            case "bytes" -> trim(v / (1024 * 1024)) + " MiB";
            case "percentunit" -> trim(v * 100) + " %";
            case "reqps" -> short_(v) + "/s";
            default -> short_(v);
        };
    }

    private static String short_(double v) {
        double a = Math.abs(v);
        return a >= 1e6 ? trim(v / 1e6) + "M" : a >= 1e4 ? trim(v / 1e3) + "k" : trim(v);
    }

    private static String trim(double v) {
        double a = Math.abs(v);
        String s = a >= 100 || a == Math.rint(a) ? String.format(Locale.ROOT, "%.0f", v)
                : a >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
        return s.equals("-0") ? "0" : s;
    }

    /** 1, 2 or 5 times a power of ten, giving about {@code ticks} steps up to max. */
    static double niceStep(double max, int ticks) {
        double raw = max / ticks;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / power;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
    }

    private static long timeStep(long spanMillis) {
        for (long s : new long[]{5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600}) {
            if (spanMillis / (s * 1000) <= 7) {
                return s * 1000;
            }
        }
        return 7_200_000;
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** The panels' expressions parsed, for the names they read (unparseable ones left out: the page says so). */
    static List<Expr> expressions(List<Panel> panels) {
        List<Expr> exprs = new ArrayList<>();
        for (Panel panel : panels) {
            for (Target target : panel.targets()) {
                try {
                    exprs.add(Query.parse(target.expr()));
                } catch (IllegalArgumentException e) {
                    // reported on the page
                }
            }
        }
        return exprs;
    }

    static Map<String, Map<String, String>> targetLabels(Set<String> services, String namespace) {
        Map<String, Map<String, String>> labels = new LinkedHashMap<>();
        services.forEach(s -> labels.put(s, Map.of("pod", s, "namespace", namespace)));
        return labels;
    }
}
