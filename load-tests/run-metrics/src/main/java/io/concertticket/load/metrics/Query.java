package io.concertticket.load.metrics;

import io.concertticket.load.metrics.Counters.Point;
import io.concertticket.load.metrics.Exposition.Sample;
import io.concertticket.load.metrics.Recording.Scrape;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The part of PromQL the Grafana dashboard's panels use, evaluated over a {@link Recording}, so that the load-test
 * charts are the dashboard's own queries: a selector {@code name{label="v", label=~"re", ...}}; {@code rate(...[1m])}
 * and {@code increase(...[10m])} of a selector with a range; {@code sum|max|min|avg|count by (labels) (...)};
 * {@code histogram_quantile(q, ...)}. Every sample carries the labels Prometheus adds in the cluster: {@code pod}
 * (the service's name, which the pods' names begin with) and {@code namespace}.
 */
public final class Query {

    /** Where a query is evaluated: the samples, and the labels each service's samples get. */
    public record Context(Recording recording, Map<String, Map<String, String>> targetLabels, long staleMillis) {
    }

    /** An expression, evaluated at one time to an instant vector (labels to value). */
    public interface Expr {
        Map<Map<String, String>, Double> eval(Context context, long millis);

        /** The metric names the expression reads. */
        Set<String> names();
    }

    record Matcher(String label, String op, String value, Pattern regex) {
        boolean matches(Map<String, String> labels) {
            String v = labels.getOrDefault(label, "");
            return switch (op) {
                case "=" -> v.equals(value);
                case "!=" -> !v.equals(value);
                case "=~" -> regex.matcher(v).matches();
                default -> !regex.matcher(v).matches(); // !~
            };
        }
    }

    record Selector(String name, List<Matcher> matchers, long rangeMillis) implements Expr {
        @Override
        public Map<Map<String, String>, Double> eval(Context context, long millis) {
            Map<Map<String, String>, Double> out = new LinkedHashMap<>();
            context.recording().byService().forEach((service, scrapes) -> {
                Scrape latest = latestAtOrBefore(scrapes, millis);
                if (latest != null && millis - latest.millis() <= context.staleMillis()) {
                    for (Sample s : latest.samples(name)) {
                        Map<String, String> labels = labels(s, context, service);
                        if (matches(labels)) {
                            out.put(labels, s.value());
                        }
                    }
                }
            });
            return out;
        }

        /** Each matching series' points in (millis - range, millis]. */
        Map<Map<String, String>, List<Point>> range(Context context, long millis) {
            Map<Map<String, String>, List<Point>> out = new LinkedHashMap<>();
            context.recording().byService().forEach((service, scrapes) -> {
                int from = firstAfter(scrapes, millis - rangeMillis);
                for (int i = from; i < scrapes.size() && scrapes.get(i).millis() <= millis; i++) {
                    Scrape scrape = scrapes.get(i);
                    for (Sample s : scrape.samples(name)) {
                        Map<String, String> labels = labels(s, context, service);
                        if (matches(labels)) {
                            out.computeIfAbsent(labels, k -> new ArrayList<>()).add(new Point(scrape.millis(), s.value()));
                        }
                    }
                }
            });
            return out;
        }

        private boolean matches(Map<String, String> labels) {
            return matchers.stream().allMatch(m -> m.matches(labels));
        }

        @Override
        public Set<String> names() {
            return Set.of(name);
        }
    }

    record RangeFunction(String function, Selector selector) implements Expr {
        @Override
        public Map<Map<String, String>, Double> eval(Context context, long millis) {
            Map<Map<String, String>, Double> out = new LinkedHashMap<>();
            selector.range(context, millis).forEach((labels, points) -> {
                double rate = Counters.rate(points);
                if (!Double.isNaN(rate)) {
                    // Prometheus: increase(v[r]) = rate(v[r]) * r
                    out.put(labels, function.equals("rate") ? rate : rate * selector.rangeMillis() / 1000.0);
                }
            });
            return out;
        }

        @Override
        public Set<String> names() {
            return selector.names();
        }
    }

    record Aggregate(String op, List<String> by, Expr inner) implements Expr {
        @Override
        public Map<Map<String, String>, Double> eval(Context context, long millis) {
            Map<Map<String, String>, List<Double>> groups = new LinkedHashMap<>();
            inner.eval(context, millis).forEach((labels, value) -> {
                Map<String, String> key = new TreeMap<>();
                for (String l : by) {
                    if (labels.containsKey(l)) {
                        key.put(l, labels.get(l));
                    }
                }
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            });
            Map<Map<String, String>, Double> out = new LinkedHashMap<>();
            groups.forEach((key, values) -> out.put(key, switch (op) {
                case "sum" -> values.stream().mapToDouble(Double::doubleValue).sum();
                case "max" -> values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
                case "min" -> values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
                case "avg" -> values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                default -> (double) values.size(); // count
            }));
            return out;
        }

        @Override
        public Set<String> names() {
            return inner.names();
        }
    }

    record HistogramQuantile(double q, Expr buckets) implements Expr {
        @Override
        public Map<Map<String, String>, Double> eval(Context context, long millis) {
            Map<Map<String, String>, TreeMap<Double, Double>> histograms = new LinkedHashMap<>();
            buckets.eval(context, millis).forEach((labels, count) -> {
                if (labels.containsKey("le")) {
                    Map<String, String> key = new TreeMap<>(labels);
                    double le = Exposition.parseValue(key.remove("le"));
                    histograms.computeIfAbsent(key, k -> new TreeMap<>()).merge(le, count, Double::sum);
                }
            });
            Map<Map<String, String>, Double> out = new LinkedHashMap<>();
            histograms.forEach((labels, cumulative) -> {
                double quantile = quantile(q, cumulative);
                if (!Double.isNaN(quantile)) {
                    out.put(labels, quantile);
                }
            });
            return out;
        }

        /**
         * Prometheus' histogram_quantile over cumulative bucket counts (upper bound to count): the bucket holding the
         * q-th observation, linearly interpolated inside it; in the +Inf bucket, the highest finite bound. NaN when
         * nothing was observed.
         */
        static double quantile(double q, TreeMap<Double, Double> cumulative) {
            if (cumulative.isEmpty() || cumulative.lastKey() != Double.POSITIVE_INFINITY) {
                return Double.NaN;
            }
            double total = cumulative.lastEntry().getValue();
            if (!(total > 0)) {
                return Double.NaN;
            }
            double rank = q * total;
            double lowerBound = 0;
            double lowerCount = 0;
            for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
                if (bucket.getValue() >= rank) {
                    if (bucket.getKey() == Double.POSITIVE_INFINITY) {
                        return lowerBound;
                    }
                    double inBucket = bucket.getValue() - lowerCount;
                    return inBucket <= 0 ? bucket.getKey()
                            : lowerBound + (bucket.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
                }
                lowerBound = bucket.getKey();
                lowerCount = bucket.getValue();
            }
            return Double.NaN;
        }

        @Override
        public Set<String> names() {
            return buckets.names();
        }
    }

    private Query() {
    }

    static Map<String, String> labels(Sample s, Context context, String service) {
        Map<String, String> labels = new TreeMap<>(context.targetLabels().getOrDefault(service, Map.of()));
        labels.putAll(s.labels());
        return labels;
    }

    static Scrape latestAtOrBefore(List<Scrape> scrapes, long millis) {
        int i = firstAfter(scrapes, millis) - 1;
        return i >= 0 ? scrapes.get(i) : null;
    }

    /** The index of the first scrape later than millis (binary search; scrapes are in time order). */
    static int firstAfter(List<Scrape> scrapes, long millis) {
        int lo = 0;
        int hi = scrapes.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (scrapes.get(mid).millis() <= millis) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    // ---- parsing

    private static final Set<String> AGGREGATIONS = Set.of("sum", "max", "min", "avg", "count");

    /** Parses an expression; Grafana variables must have been replaced by their values already. */
    public static Expr parse(String promql) {
        Parser p = new Parser(promql);
        Expr e = p.expr();
        p.skipSpaces();
        if (p.i != promql.length()) {
            throw p.error("unexpected text");
        }
        return e;
    }

    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        Expr expr() {
            skipSpaces();
            String word = identifier();
            skipSpaces();
            if (AGGREGATIONS.contains(word) && (peek('(') || lookingAtWord("by"))) {
                List<String> by = List.of();
                if (lookingAtWord("by")) {
                    i += 2;
                    by = labelList();
                }
                expect('(');
                Expr inner = expr();
                expect(')');
                skipSpaces();
                if (lookingAtWord("by")) {
                    i += 2;
                    by = labelList();
                }
                return new Aggregate(word, by, inner);
            }
            if ((word.equals("rate") || word.equals("increase")) && peek('(')) {
                expect('(');
                Expr inner = expr();
                expect(')');
                if (!(inner instanceof Selector sel) || sel.rangeMillis() <= 0) {
                    throw error(word + " needs a selector with a range");
                }
                return new RangeFunction(word, sel);
            }
            if (word.equals("histogram_quantile") && peek('(')) {
                expect('(');
                skipSpaces();
                int start = i;
                while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                    i++;
                }
                double q = Double.parseDouble(s.substring(start, i));
                expect(',');
                Expr inner = expr();
                expect(')');
                return new HistogramQuantile(q, inner);
            }
            if (peek('(')) {
                throw error("function not supported: " + word);
            }
            List<Matcher> matchers = new ArrayList<>();
            if (peek('{')) {
                expect('{');
                skipSpaces();
                while (!peek('}')) {
                    String label = identifier();
                    skipSpaces();
                    String op = s.startsWith("=~", i) || s.startsWith("!=", i) || s.startsWith("!~", i) ? s.substring(i, i + 2) : "=";
                    i += op.length();
                    skipSpaces();
                    String value = string();
                    matchers.add(new Matcher(label, op, value, op.contains("~") ? Pattern.compile(value) : null));
                    skipSpaces();
                    if (peek(',')) {
                        expect(',');
                        skipSpaces();
                    }
                }
                expect('}');
            }
            long range = 0;
            skipSpaces();
            if (peek('[')) {
                expect('[');
                int close = s.indexOf(']', i);
                range = duration(s.substring(i, close).strip());
                i = close + 1;
            }
            return new Selector(word, matchers, range);
        }

        List<String> labelList() {
            expect('(');
            List<String> labels = new ArrayList<>();
            skipSpaces();
            while (!peek(')')) {
                labels.add(identifier());
                skipSpaces();
                if (peek(',')) {
                    expect(',');
                    skipSpaces();
                }
            }
            expect(')');
            skipSpaces();
            return labels;
        }

        long duration(String d) {
            long n = Long.parseLong(d.substring(0, d.length() - 1));
            return switch (d.charAt(d.length() - 1)) {
                case 's' -> n * 1000;
                case 'm' -> n * 60_000;
                case 'h' -> n * 3_600_000;
                default -> throw error("duration " + d);
            };
        }

        String identifier() {
            skipSpaces();
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == ':')) {
                i++;
            }
            if (start == i) {
                throw error("name expected");
            }
            return s.substring(start, i);
        }

        String string() {
            expect('"');
            StringBuilder v = new StringBuilder();
            while (s.charAt(i) != '"') {
                if (s.charAt(i) == '\\') {
                    i++;
                }
                v.append(s.charAt(i++));
            }
            i++;
            return v.toString();
        }

        boolean lookingAtWord(String word) {
            return s.startsWith(word, i) && i + word.length() < s.length()
                    && !Character.isLetterOrDigit(s.charAt(i + word.length())) && s.charAt(i + word.length()) != '_';
        }

        boolean peek(char c) {
            skipSpaces();
            return i < s.length() && s.charAt(i) == c;
        }

        void expect(char c) {
            skipSpaces();
            if (i >= s.length() || s.charAt(i) != c) {
                throw error("'" + c + "' expected");
            }
            i++;
        }

        void skipSpaces() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at " + i + " in: " + s);
        }
    }

    /** The series an expression gives over a time span, one value per step (a missing value where it had none). */
    public static Map<Map<String, String>, double[]> range(Expr expr, Context context, long[] times) {
        Map<Map<String, String>, double[]> out = new TreeMap<>(Comparator.comparing(Object::toString));
        for (int t = 0; t < times.length; t++) {
            int at = t;
            expr.eval(context, times[t]).forEach((labels, value) -> {
                double[] line = out.computeIfAbsent(labels, k -> {
                    double[] empty = new double[times.length];
                    java.util.Arrays.fill(empty, Double.NaN);
                    return empty;
                });
                line[at] = value;
            });
        }
        return out;
    }

    /** Every metric name a set of expressions reads. */
    public static Set<String> names(List<Expr> exprs) {
        Set<String> names = new TreeSet<>();
        exprs.forEach(e -> names.addAll(e.names()));
        return names;
    }
}
