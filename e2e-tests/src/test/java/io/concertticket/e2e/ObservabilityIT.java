package io.concertticket.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.concertticket.e2e.harness.Api;
import io.concertticket.e2e.harness.Api.Reply;
import io.concertticket.e2e.harness.Crowd;
import io.concertticket.e2e.harness.Operator.Sale;
import io.concertticket.e2e.harness.Platform;
import io.concertticket.e2e.harness.PlatformExtension;
import io.concertticket.e2e.harness.Shopper;
import io.concertticket.testing.OtlpReceiver;
import io.concertticket.testing.OtlpReceiver.Span;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an operator sees of the platform (issue 20, docs/observability.md), on the real platform: every service and
 * the gateway export their spans over OTLP/HTTP to the harness' collector ({@link Platform#traces()}), log JSON in
 * the prod profile, and serve /q/metrics on their management port.
 */
@ExtendWith(PlatformExtension.class)
@Order(9)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObservabilityIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @Order(1)
    void aPurchaseThroughTheGatewayIsOneTraceAcrossBothServicesAndKafka() throws Exception {
        Platform platform = PlatformExtension.platform();
        Sale sale = platform.operator().openSale("Trace scenario", 2, 5_000);
        Api api = new Api(platform.gatewayUrl());
        String run = "trace-" + UUID.randomUUID().toString().substring(0, 8);
        // the second one stays admitted: its concert's queue_waiting/queue_active series exist for the metrics check
        List<Shopper> shoppers = Crowd.admittedAndCharged(platform, api, sale.concertId(), run, 2, i -> 20_000);
        Shopper buyer = shoppers.get(0);

        // the client's purchase: one trace, its two requests each a span of the client's
        String traceId = hex(16);
        String holdSpan = hex(8);
        String paySpan = hex(8);
        Reply hold = api.post("/api/v1/reservations", Api.headers(buyer.admitted(), traceparent(traceId, holdSpan)),
                Map.of("scheduleId", sale.scheduleId(), "seatNumber", 1));
        assertThat(hold.status()).as("%s", hold).isEqualTo(201);
        long reservationId = hold.number("reservationId");
        // payment-service may not know the reservation yet (SeatHeld in flight): 503 + Retry-After, retried in the same trace
        Reply paid = Shopper.retrying(Duration.ofSeconds(60), () -> api.post("/api/v1/payments",
                Api.headers(buyer.admitted(), Map.of("Idempotency-Key", "pay-" + reservationId), traceparent(traceId, paySpan)),
                Map.of("reservationId", reservationId)));
        assertThat(paid.status()).as("%s", paid).isEqualTo(200);

        OtlpReceiver traces = platform.traces();
        // the last hop: concert-service applying PaymentCompleted (then the reservation is PAID)
        traces.await(s -> s.traceId().equals(traceId) && s.service().equals(Platform.CONCERT)
                && s.name().equals("PaymentCompleted process"), Duration.ofSeconds(60));
        // spans still open (a consumer's handling of the last event) reach the collector a little later: until then
        // a child may be there without its parent, so the whole tree is checked until it holds
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertOneTree(traces.trace(traceId), traceId, holdSpan, paySpan));
        System.out.printf("e2e: the purchase's trace %s has %d spans from %s%n", traceId, traces.trace(traceId).size(),
                new TreeSet<>(traces.trace(traceId).stream().map(Span::service).toList()));

        // the prod profile logs JSON: every line a service's logger wrote is one JSON object
        for (String service : List.of(Platform.GATEWAY, Platform.QUEUE, Platform.CONCERT, Platform.PAYMENT)) {
            List<String> lines = Files.readAllLines(platform.logs().resolve(service + ".log")).stream()
                    .filter(l -> l.startsWith("{")).toList();
            assertThat(lines).as(service).isNotEmpty();
            for (String line : lines) {
                JsonNode json = JSON.readTree(line);
                assertThat(json.has("level") && json.has("message") && json.has("timestamp")).as(line).isTrue();
            }
            assertThat(Files.readAllLines(platform.logs().resolve(service + ".log")))
                    .as("%s: no text-format log line", service)
                    .noneMatch(l -> l.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (INFO|WARN|ERROR|DEBUG) .*"));
        }
    }

    /**
     * The purchase's trace: the gateway's two server spans (continuing the client's), concert-service's hold, its
     * SeatHeld publish, payment-service applying it, the payment, its PaymentCompleted publish and concert-service
     * applying that, each below the one that caused it, and no span whose parent is missing.
     */
    private static void assertOneTree(List<Span> trace, String traceId, String holdSpan, String paySpan) {
        String tree = "trace " + traceId + ":\n" + OtlpReceiver.describe(trace);

        Span gatewayHold = one(trace, tree, s -> s.service().equals(Platform.GATEWAY) && s.kind() == OtlpReceiver.SERVER
                && s.parentSpanId().equals(holdSpan));
        assertThat(gatewayHold.name()).as(tree).contains("POST");

        Span concertHold = one(trace, tree, s -> s.service().equals(Platform.CONCERT) && s.kind() == OtlpReceiver.SERVER
                && s.name().contains("/api/v1/reservations"));
        assertThat(parentOf(concertHold, trace, tree).service()).isEqualTo(Platform.GATEWAY);
        assertThat(ancestors(concertHold, trace)).contains(gatewayHold.spanId());

        Span seatHeldPublished = one(trace, tree, s -> s.service().equals(Platform.CONCERT) && s.kind() == OtlpReceiver.PRODUCER
                && "SeatHeld".equals(s.attribute("cloudevents.event_type")));
        assertThat(seatHeldPublished.name()).isEqualTo("concert.reservation-events publish");
        assertThat(ancestors(seatHeldPublished, trace)).contains(concertHold.spanId());

        Span seatHeldApplied = one(trace, tree, s -> s.service().equals(Platform.PAYMENT) && s.kind() == OtlpReceiver.CONSUMER
                && s.name().equals("SeatHeld process"));
        assertThat(seatHeldApplied.attribute("cloudevents.event_id")).isEqualTo(seatHeldPublished.attribute("cloudevents.event_id"));
        assertThat(ancestors(seatHeldApplied, trace)).contains(concertHold.spanId());

        // a payment retried (503 while SeatHeld was late) is one gateway span per attempt, all continuing paySpan
        Span payment = one(trace, tree, s -> s.service().equals(Platform.PAYMENT) && s.kind() == OtlpReceiver.SERVER
                && s.name().contains("/api/v1/payments") && "200".equals(s.attribute("http.response.status_code")));
        assertThat(parentOf(payment, trace, tree).service()).isEqualTo(Platform.GATEWAY);
        assertThat(ancestors(payment, trace)).as(tree).contains(paySpan);

        Span paymentPublished = one(trace, tree, s -> s.service().equals(Platform.PAYMENT) && s.kind() == OtlpReceiver.PRODUCER
                && "PaymentCompleted".equals(s.attribute("cloudevents.event_type")));
        assertThat(ancestors(paymentPublished, trace)).contains(payment.spanId());

        Span paymentApplied = one(trace, tree, s -> s.service().equals(Platform.CONCERT) && s.kind() == OtlpReceiver.CONSUMER
                && s.name().equals("PaymentCompleted process"));
        assertThat(ancestors(paymentApplied, trace)).contains(payment.spanId());

        // one tree: every span's parent is in the trace, but the client's two spans the gateway continued
        Set<String> ids = new HashSet<>();
        trace.forEach(s -> ids.add(s.spanId()));
        assertThat(trace).as(tree).allSatisfy(s -> assertThat(
                ids.contains(s.parentSpanId()) || s.parentSpanId().equals(holdSpan) || s.parentSpanId().equals(paySpan))
                .as("parent of %s", s).isTrue());
    }

    /**
     * Every metric the Grafana dashboard and the alert rules query is one the services really export: the names in
     * k8s/base/grafana/concert-sale-dashboard.json and k8s/base/alerts.yaml against a scrape of all four
     * /q/metrics. Series that appear only once something happened are made to exist first: a refusal, a dead letter.
     */
    @Test
    @Order(2)
    void everyMetricTheDashboardAndTheAlertsQueryIsExported() throws Exception {
        Platform platform = PlatformExtension.platform();
        Path root = Path.of(System.getProperty("e2e.root", "..")).toAbsolutePath().normalize();
        Map<String, List<String>> queries = new java.util.LinkedHashMap<>();
        JsonNode dashboard = JSON.readTree(root.resolve("k8s/base/grafana/concert-sale-dashboard.json").toFile());
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.computeIfAbsent(target.path("expr").asText(), k -> new ArrayList<>()).add("panel '" + panel.path("title").asText() + "'");
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            String query = variable.path("definition").asText();
            if (query.startsWith("label_values(")) {
                queries.computeIfAbsent(query.substring("label_values(".length(), query.indexOf(',')), k -> new ArrayList<>())
                        .add("variable " + variable.path("name").asText());
            }
        }
        JsonNode alerts = new YAMLMapper().readTree(root.resolve("k8s/base/alerts.yaml").toFile());
        for (JsonNode group : alerts.path("spec").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                queries.computeIfAbsent(rule.path("expr").asText(), k -> new ArrayList<>()).add("alert " + rule.path("alert").asText());
            }
        }
        Map<String, List<String>> wanted = new java.util.TreeMap<>();
        queries.forEach((query, users) -> metricNames(query).forEach(m -> wanted.computeIfAbsent(m, k -> new ArrayList<>()).addAll(users)));
        assertThat(wanted).as("metric names found in the queries (the PromQL reading works)")
                .containsKeys("queue_waiting", "http_server_requests_seconds_bucket", "events_consumer_dead_letters_total",
                        "gateway_refusals_total", "kafka_consumer_fetch_manager_records_lag");

        // a refusal at the gateway (401, no identity token) and a dead letter (an unreadable record on a topic
        // payment-service consumes): their counters exist only once counted
        Reply refused = new Api(platform.gatewayUrl()).get("/api/v1/reservations/1", Api.anonymous());
        assertThat(refused.status()).isEqualTo(401);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            producer.send(new ProducerRecord<>("concert.reservation-events", "observability-poison", "not an event")).get();
        }

        Map<String, Set<String>> exported = new java.util.TreeMap<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            exported.clear();
            for (String service : List.of(Platform.GATEWAY, Platform.QUEUE, Platform.CONCERT, Platform.PAYMENT)) {
                for (String name : scrape(platform.service(service).managementUrl() + "/q/metrics")) {
                    exported.computeIfAbsent(name, k -> new TreeSet<>()).add(service);
                }
            }
            Map<String, List<String>> missing = new java.util.TreeMap<>(wanted);
            missing.keySet().removeAll(exported.keySet());
            assertThat(missing).as("queried by the dashboard or the alerts but exported by no service").isEmpty();
        });
        wanted.keySet().forEach(m -> System.out.printf("e2e: %s exported by %s, used by %s%n", m, exported.get(m),
                new TreeSet<>(wanted.get(m))));
    }

    // ---- PromQL: the metric names of an expression

    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "offset", "bool", "inf", "nan");
    private static final Pattern LABEL_LIST = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    /** The metric names in a PromQL expression: identifiers that are neither functions, keywords nor label names. */
    static Set<String> metricNames(String expr) {
        String e = expr.replaceAll("\\{[^}]*}", " ")     // label matchers
                .replaceAll("\\[[^]]*]", " ")             // ranges [5m]
                .replaceAll("\"[^\"]*\"", " ");           // strings
        e = LABEL_LIST.matcher(e).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(e);
        while (m.find()) {
            String word = m.group();
            int after = m.end();
            while (after < e.length() && Character.isWhitespace(e.charAt(after))) {
                after++;
            }
            boolean function = after < e.length() && e.charAt(after) == '(';
            boolean duration = m.start() > 0 && Character.isDigit(e.charAt(m.start() - 1));
            if (!function && !duration && !PROMQL_WORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
                names.add(word);
            }
        }
        return names;
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The sample names of a Prometheus scrape ({@code name{labels} value} lines). */
    private static Set<String> scrape(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        Set<String> names = new HashSet<>();
        for (String line : response.body().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                Matcher m = IDENTIFIER.matcher(line);
                if (m.lookingAt()) {
                    names.add(m.group());
                }
            }
        }
        return names;
    }

    // ---- spans

    private static Span one(List<Span> trace, String tree, Predicate<Span> condition) {
        List<Span> found = trace.stream().filter(condition).toList();
        assertThat(found).as("the trace:\n%s", tree).hasSize(1);
        return found.get(0);
    }

    private static Span parentOf(Span span, List<Span> trace, String tree) {
        return one(trace, tree, s -> s.spanId().equals(span.parentSpanId()));
    }

    /** The span ids from this span's parent up to the trace's root (within what the trace holds). */
    private static List<String> ancestors(Span span, List<Span> trace) {
        List<String> chain = new ArrayList<>();
        String parent = span.parentSpanId();
        while (!parent.isEmpty() && !chain.contains(parent)) {
            chain.add(parent);
            String id = parent;
            parent = trace.stream().filter(s -> s.spanId().equals(id)).map(Span::parentSpanId).findFirst().orElse("");
        }
        return chain;
    }

    private static Map<String, String> traceparent(String traceId, String spanId) {
        return Map.of("traceparent", "00-" + traceId + "-" + spanId + "-01");
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        b[0] |= 1; // never all zeros (invalid)
        return HexFormat.of().formatHex(b);
    }
}
