package io.concertticket.load.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Real recorded scrapes: two of concert-service's /q/metrics, 4.01 s apart, taken by the recorder during a
 * FullPurchaseSimulation (run-load.sh, 2026-11-29), cut down to a few whole metric families, in the recording's format.
 */
final class Fixtures {

    static final String TWO_SCRAPES = "/concert-service-two-scrapes.txt";
    static final long FIRST = 1795949740305L;
    static final long SECOND = 1795949744315L;

    private Fixtures() {
    }

    static String text(String resource) throws IOException {
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The body of the n-th scrape (0-based) of a recording text. */
    static String scrape(String recording, int n) {
        String[] parts = recording.split("(?m)^### scrape .*\n");
        return parts[n + 1];
    }

    /** The recording text as the recorder writes it: gzip. */
    static Path gzip(String text, Path dir) throws IOException {
        Path file = dir.resolve("samples.txt.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }
}
