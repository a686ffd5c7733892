package io.concertticket.load.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class RecordingTest {

    @TempDir
    Path dir;

    @Test
    void scrapesAndFailuresAreReadBackPerServiceInTimeOrderKeepingOnlyTheWantedMetrics() throws Exception {
        Path file = dir.resolve("samples.gz");
        try (Writer out = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(file)), StandardCharsets.UTF_8)) {
            Recording.write(out, "queue-service", 2_000, "# TYPE queue_waiting gauge\nqueue_waiting{concert=\"7\"} 12.0\nqueue_cache_rooms 1.0\n", null);
            Recording.write(out, "queue-service", 1_000, "queue_waiting{concert=\"7\"} 10.0", null);
            Recording.write(out, "api-gateway", 1_500, null, "HttpTimeoutException: request timed out");
        }
        Recording recording = Recording.read(file, name -> name.equals("queue_waiting"));
        assertThat(recording.byService().get("queue-service")).extracting(Recording.Scrape::millis).containsExactly(1_000L, 2_000L);
        assertThat(recording.byService().get("queue-service").get(1).samples("queue_waiting").get(0).value()).isEqualTo(12.0);
        assertThat(recording.byService().get("queue-service").get(1).byName()).containsOnlyKeys("queue_waiting");
        assertThat(recording.byService().get("api-gateway")).isEmpty();
        assertThat(recording.failures()).containsEntry("api-gateway", 1);
        assertThat(recording.start()).isEqualTo(1_000);
        assertThat(recording.end()).isEqualTo(2_000);
    }

    @Test
    void aRecordingCutOffMidWriteKeepsTheScrapesBeforeTheCut() throws Exception {
        Path file = dir.resolve("samples.gz");
        try (Writer out = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(file), 512, true), StandardCharsets.UTF_8)) {
            for (int i = 1; i <= 50; i++) {
                Recording.write(out, "concert-service", i * 1_000L, "outbox_pending " + i + ".0\n", null);
                out.flush();
            }
        }
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length - 40)); // the recorder killed before its last block
        Recording recording = Recording.read(file, name -> true);
        assertThat(recording.byService().get("concert-service")).hasSizeBetween(40, 50);
        assertThat(recording.byService().get("concert-service").get(0).samples("outbox_pending").get(0).value()).isEqualTo(1.0);
    }
}
