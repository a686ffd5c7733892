package io.concertticket.load.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The dashboard's queries over two real scrapes of concert-service 4.01 s apart (holds by status went 390 to 403
 * created, 78 to 79 refused with 409), with the figures worked out by hand.
 */
class QueryTest {

    @TempDir
    Path dir;

    @Test
    void holdsPerSecondByStatusIsTheCountersIncreaseOverTheTimeBetweenTheScrapes() throws Exception {
        Query.Context context = context();
        Map<Map<String, String>, Double> holds = Query.parse("sum by (status) (rate(http_server_requests_seconds_count"
                + "{method=\"POST\", uri=\"/api/v1/reservations\"}[1m]))").eval(context, Fixtures.SECOND);
        assertThat(holds).hasSize(2);
        assertThat(holds.get(Map.of("status", "201"))).isCloseTo(13 / 4.01, within(1e-9));
        assertThat(holds.get(Map.of("status", "409"))).isCloseTo(1 / 4.01, within(1e-9));
        // one scrape in the window: no rate yet
        assertThat(Query.parse("sum by (status) (rate(http_server_requests_seconds_count[1m]))").eval(context, Fixtures.FIRST)).isEmpty();
        // increase = rate * window
        assertThat(Query.parse("sum (increase(http_server_requests_seconds_count{status=\"409\", uri=\"/api/v1/reservations\"}[10m]))")
                .eval(context, Fixtures.SECOND).get(Map.of())).isCloseTo(600 / 4.01, within(1e-9));
    }

    @Test
    void p99OfHoldsInterpolatesInTheBucketHoldingTheRank() throws Exception {
        // per second between the scrapes, summed over 201 and 409: le 0.05: 1/4.01, le 0.1: 2/4.01, le 0.25: 8/4.01,
        // le 0.5 .. +Inf: 14/4.01. Rank 0.99 * 14 = 13.86 lies in (0.25, 0.5]: 0.25 + 0.25 * (13.86 - 8) / (14 - 8)
        Map<Map<String, String>, Double> p99 = Query.parse("histogram_quantile(0.99, sum by (le) (rate(http_server_requests_seconds_bucket"
                + "{method=\"POST\", uri=\"/api/v1/reservations\"}[5m])))").eval(context(), Fixtures.SECOND);
        assertThat(p99.get(Map.of())).isCloseTo(0.25 + 0.25 * (13.86 - 8) / 6, within(1e-9));
    }

    @Test
    void histogramQuantileFollowsPrometheusAtTheEdges() {
        TreeMap<Double, Double> buckets = new TreeMap<>(Map.of(0.1, 0.0, 1.0, 10.0, Double.POSITIVE_INFINITY, 20.0));
        assertThat(Query.HistogramQuantile.quantile(0.99, buckets)).isEqualTo(1.0); // in +Inf: the highest finite bound
        assertThat(Query.HistogramQuantile.quantile(0.25, buckets)).isCloseTo(0.1 + 0.9 * 5 / 10, within(1e-12));
        assertThat(Query.HistogramQuantile.quantile(0.5, new TreeMap<>(Map.of(1.0, 0.0, Double.POSITIVE_INFINITY, 0.0)))).isNaN();
    }

    @Test
    void gaugesAreTheLatestScrapeAtOrBeforeTheTimeAndGoStale() throws Exception {
        Query.Context context = context();
        Query.Expr backlog = Query.parse("max by (pod) (outbox_pending)");
        assertThat(backlog.eval(context, Fixtures.FIRST)).isEqualTo(Map.of(Map.of("pod", "concert-service"), 0.0));
        assertThat(backlog.eval(context, Fixtures.SECOND + 500)).isEqualTo(Map.of(Map.of("pod", "concert-service"), 1.0));
        assertThat(backlog.eval(context, Fixtures.FIRST - 1)).isEmpty();
        assertThat(backlog.eval(context, Fixtures.SECOND + 15_001)).isEmpty();
    }

    @Test
    void theLagPanelCountsEachPartitionOnceUnderTheTopicsRealName() throws Exception {
        Map<Map<String, String>, Double> lag = Query.parse("sum by (pod, client_id, topic) (kafka_consumer_fetch_manager_records_lag"
                + "{namespace=\"concert-platform\", topic=~\".*[.].*\"})").eval(context(), Fixtures.SECOND);
        assertThat(lag).containsOnlyKeys(List.of(Map.of("pod", "concert-service", "client_id", "kafka-consumer-payment-events",
                "topic", "payment.payment-events")));
        assertThat(Query.parse("count (kafka_consumer_fetch_manager_records_lag)").eval(context(), Fixtures.SECOND))
                .isEqualTo(Map.of(Map.of(), 6.0));
    }

    private Query.Context context() throws Exception {
        Recording recording = Recording.read(Fixtures.gzip(Fixtures.text(Fixtures.TWO_SCRAPES), dir), name -> true);
        return new Query.Context(recording, ChartPage.targetLabels(recording.byService().keySet(), "concert-platform"), 15_000);
    }
}
