package io.concertticket.load.metrics;

import io.concertticket.load.metrics.Exposition.Sample;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ExpositionTest {

    @Test
    void aRealScrapeIsReadSampleBySampleExemplarsLeftOut() throws Exception {
        String text = Fixtures.scrape(Fixtures.text(Fixtures.TWO_SCRAPES), 0);
        List<Sample> samples = Exposition.parse(text);
        assertThat(samples).hasSize((int) text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).count());

        // ... 390.0 # {span_id="ab79980746db887d",trace_id="150fee71f3d7743800fa75859ece6515"} 5.110050637 1795949652.304
        Sample holds = one(samples, "http_server_requests_seconds_bucket",
                Map.of("method", "POST", "outcome", "SUCCESS", "status", "201", "uri", "/api/v1/reservations", "le", "+Inf"));
        assertThat(holds.value()).isEqualTo(390.0);
        assertThat(one(samples, "http_server_requests_seconds_sum",
                Map.of("method", "POST", "outcome", "CLIENT_ERROR", "status", "409", "uri", "/api/v1/reservations")).value())
                .isEqualTo(114.240729994);
        assertThat(one(samples, "process_cpu_usage", Map.of()).value()).isEqualTo(0.11304347826086956);
        assertThat(holds.series()).isEqualTo(
                "http_server_requests_seconds_bucket{le=\"+Inf\",method=\"POST\",outcome=\"SUCCESS\",status=\"201\",uri=\"/api/v1/reservations\"}");
        // Kafka 4 reports each partition's lag twice: the topic's name, and its deprecated tag with '_' for '.'
        assertThat(samples.stream().filter(s -> s.name().equals("kafka_consumer_fetch_manager_records_lag")).map(s -> s.labels().get("topic")))
                .containsExactlyInAnyOrder("payment.payment-events", "payment.payment-events", "payment.payment-events",
                        "payment_payment-events", "payment_payment-events", "payment_payment-events");
    }

    @Test
    void specialValuesEscapesAndTimestamps() {
        // a real line of queue-service (a partition nothing was fetched from in the window)
        Sample nan = Exposition.parseLine("kafka_consumer_fetch_manager_records_lag_avg{client_id=\"kafka-consumer-catalogue-events\","
                + "kafka_version=\"4.1.2\",partition=\"2\",topic=\"concert_catalogue-events\"} NaN");
        assertThat(nan.value()).isNaN();
        assertThat(nan.labels()).containsEntry("partition", "2").hasSize(4);
        assertThat(Exposition.parseLine("a_bucket{le=\"+Inf\"} +Inf").value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Exposition.parseLine("up 1 1795949744315").value()).isEqualTo(1.0);
        Sample escaped = Exposition.parseLine("m{path=\"a\\\"b\\\\c\\nd\",x=\"1\",} 2.5e3");
        assertThat(escaped.labels()).containsEntry("path", "a\"b\\c\nd").containsEntry("x", "1");
        assertThat(escaped.value()).isEqualTo(2500.0);
        assertThat(escaped.series()).isEqualTo("m{path=\"a\\\"b\\\\c\\nd\",x=\"1\"}");
    }

    private static Sample one(List<Sample> samples, String name, Map<String, String> labels) {
        List<Sample> found = samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels)).toList();
        assertThat(found).as("%s%s", name, labels).hasSize(1);
        return found.get(0);
    }
}
