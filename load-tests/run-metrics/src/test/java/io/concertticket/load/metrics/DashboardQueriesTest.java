package io.concertticket.load.metrics;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The charts of a load run are the dashboard's panels: every query of k8s/base/grafana/concert-sale-dashboard.json
 * (and of the page's own JVM charts) must be one the report can evaluate, or a new panel would silently not be drawn.
 */
class DashboardQueriesTest {

    static final Path DASHBOARD = Path.of("../../k8s/base/grafana/concert-sale-dashboard.json");

    @Test
    void everyPanelOfTheDashboardIsUnderstood() throws Exception {
        List<Panel> panels = new ArrayList<>(Panel.fromDashboard(DASHBOARD, "concert-platform"));
        panels.addAll(Panel.machine());
        assertThat(panels).extracting(Panel::title).contains("People waiting per concert", "People in the pre-queue per concert",
                "Consumer lag by service and channel", "Gateway requests per second by route and status");
        for (Panel panel : panels) {
            for (Panel.Target target : panel.targets()) {
                assertThat(target.expr()).as(panel.title()).doesNotContain("$");
                Query.Expr expr = Query.parse(target.expr());
                assertThat(expr.names()).as(target.expr()).isNotEmpty();
            }
        }
    }

    @Test
    void theVariablesAreThoseOfAllConcertsInTheRunsNamespace() throws Exception {
        Panel waiting = Panel.fromDashboard(DASHBOARD, "concert-platform").stream()
                .filter(p -> p.title().equals("People waiting per concert")).findFirst().orElseThrow();
        assertThat(waiting.targets().get(0).expr()).isEqualTo("max by (concert) (queue_waiting{concert=~\".*\"})");
        Panel refusals = Panel.fromDashboard(DASHBOARD, "concert-platform").stream()
                .filter(p -> p.title().equals("Gateway refusals per second by reason")).findFirst().orElseThrow();
        assertThat(refusals.targets().get(0).expr()).contains("namespace=\"concert-platform\"");
    }
}
