package io.concertticket.load.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ChartPageTest {

    @TempDir
    Path dir;

    @Test
    void thePageDrawsEveryDashboardPanelFromTheSamplesAndNeedsNothingFromOutside() throws Exception {
        List<Panel> panels = new ArrayList<>(Panel.fromDashboard(DashboardQueriesTest.DASHBOARD, "concert-platform"));
        panels.addAll(Panel.machine());
        Recording recording = Recording.read(Fixtures.gzip(Fixtures.text(Fixtures.TWO_SCRAPES), dir), name -> true);
        Query.Context context = new Query.Context(recording, ChartPage.targetLabels(recording.byService().keySet(), "concert-platform"), 15_000);

        String html = ChartPage.render("FullPurchaseSimulation", recording, context, panels, "index.html", 1_000);

        assertThat(html).contains("<figcaption>Holds and payments per second by status</figcaption>", "Gatling's report of the same run");
        assertThat(html.split("<svg ", -1)).hasSize(panels.size() + 1);
        assertThat(html).doesNotContain("<script", "src=", "href=\"http", "not drawn");
        // the holds' legend: 13 created in 4.01 s = 3.24/s
        assertThat(html).contains("<td>hold 201</td><td class=\"n\">3.24/s</td>");
        // what these two scrapes could not answer is named
        assertThat(html).contains("Metrics the charts query that no scrape of this run contained").contains("queue_waiting");
    }

    @Test
    void legendsAndValuesAsGrafanaShowsThem() {
        assertThat(ChartPage.legend("{{pod}} {{client_id}} {{ topic }}", Map.of("pod", "queue-service", "client_id", "c", "topic", "t")))
                .isEqualTo("queue-service c t");
        assertThat(ChartPage.legend("{{status}} {{reason}}", Map.of("status", "401"))).isEqualTo("401");
        assertThat(ChartPage.format(0.4941, "s")).isEqualTo("494 ms");
        assertThat(ChartPage.format(2.5, "s")).isEqualTo("2.50 s");
        assertThat(ChartPage.format(0.113, "percentunit")).isEqualTo("11.3 %");
        assertThat(ChartPage.format(123_456, "short")).isEqualTo("123k");
        assertThat(ChartPage.format(256 * 1024 * 1024, "bytes")).isEqualTo("256 MiB");
        assertThat(ChartPage.niceStep(37, 4)).isEqualTo(10);
    }
}
