package io.concertticket.load.metrics;

import io.concertticket.load.metrics.Exposition.Sample;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * The samples of one run: every scrape of every service, as the service served it. The file (gzip) holds each scrape
 * after a header line {@code ### scrape <service> <epoch millis> ok} (or {@code ... failed <why>} and no body), so it
 * can be read again with any tool that reads the exposition format, and parsed again if the charts change.
 */
public final class Recording {

    static final String HEADER = "### scrape ";

    /** One scrape of one service: its samples by series (only the metrics asked for when reading). */
    public record Scrape(String service, long millis, Map<String, List<Sample>> byName) {
        public List<Sample> samples(String name) {
            return byName.getOrDefault(name, List.of());
        }
    }

    private final Map<String, List<Scrape>> byService;
    private final Map<String, Integer> failures;

    Recording(Map<String, List<Scrape>> byService, Map<String, Integer> failures) {
        this.byService = byService;
        this.failures = failures;
    }

    /** Writes one scrape's header (and body, if it succeeded) to an open recording. */
    static void write(Writer out, String service, long millis, String body, String failure) throws IOException {
        if (failure == null) {
            out.write(HEADER + service + " " + millis + " ok\n");
            out.write(body);
            if (!body.endsWith("\n")) {
                out.write('\n');
            }
        } else {
            out.write(HEADER + service + " " + millis + " failed " + failure.replace('\n', ' ') + "\n");
        }
    }

    /**
     * Reads a recording (gzip); of the samples, only those whose metric name is wanted are kept. A file cut off
     * mid-write (the recorder killed) keeps every scrape before the cut; the one it cut through is dropped.
     */
    public static Recording read(Path file, Predicate<String> wanted) throws IOException {
        Map<String, List<Scrape>> byService = new LinkedHashMap<>();
        Map<String, Integer> failures = new LinkedHashMap<>();
        UntilCut gzip = new UntilCut(new GZIPInputStream(Files.newInputStream(file)));
        try (BufferedReader in = new BufferedReader(new InputStreamReader(gzip, StandardCharsets.UTF_8))) {
            String header = null;
            List<String> body = new ArrayList<>();
            String line;
            do {
                line = in.readLine();
                if (line == null || line.startsWith(HEADER)) {
                    if (header != null && !(line == null && gzip.cut)) {
                        add(header, body, wanted, byService, failures);
                    }
                    header = line;
                    body.clear();
                } else if (!line.isEmpty() && line.charAt(0) != '#' && wanted.test(metricName(line))) {
                    body.add(line);
                }
            } while (line != null);
        }
        byService.values().forEach(scrapes -> scrapes.sort(java.util.Comparator.comparingLong(Scrape::millis)));
        return new Recording(byService, failures);
    }

    private static void add(String header, List<String> lines, Predicate<String> wanted, Map<String, List<Scrape>> byService,
                            Map<String, Integer> failures) {
        String[] h = header.substring(HEADER.length()).split(" ", 4);
        String service = h[0];
        List<Scrape> scrapes = byService.computeIfAbsent(service, k -> new ArrayList<>());
        if (!h[2].equals("ok")) {
            failures.merge(service, 1, Integer::sum);
            return;
        }
        Map<String, List<Sample>> samples = new HashMap<>();
        for (String line : lines) {
            samples.computeIfAbsent(metricName(line), k -> new ArrayList<>()).add(Exposition.parseLine(line));
        }
        scrapes.add(new Scrape(service, Long.parseLong(h[1]), samples));
    }

    /** A gzip stream that ends where the file was cut off instead of failing there, and says so. */
    private static final class UntilCut extends FilterInputStream {
        boolean cut;

        UntilCut(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (EOFException e) {
                cut = true;
                return -1;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (EOFException e) {
                cut = true;
                return -1;
            }
        }
    }

    static String metricName(String line) {
        int end = 0;
        while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
            end++;
        }
        return line.substring(0, end);
    }

    public Map<String, List<Scrape>> byService() {
        return Collections.unmodifiableMap(byService);
    }

    public Map<String, Integer> failures() {
        return Collections.unmodifiableMap(failures);
    }

    public long start() {
        return byService.values().stream().filter(s -> !s.isEmpty()).mapToLong(s -> s.get(0).millis()).min().orElse(0);
    }

    public long end() {
        return byService.values().stream().filter(s -> !s.isEmpty()).mapToLong(s -> s.get(s.size() - 1).millis()).max().orElse(0);
    }

    /** The metric names seen in any scrape (of those kept). */
    public TreeSet<String> names() {
        TreeSet<String> names = new TreeSet<>();
        byService.values().forEach(scrapes -> scrapes.forEach(s -> names.addAll(s.byName().keySet())));
        return names;
    }
}
