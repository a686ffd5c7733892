package io.concertticket.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * A collector for tests: an OTLP/HTTP receiver ({@code POST /v1/traces}, protobuf) that keeps every span it is
 * sent, so a test can assert on the spans a real application exported. Point the application at it with
 * {@code quarkus.otel.exporter.otlp.traces.endpoint=<endpoint()>} and
 * {@code quarkus.otel.exporter.otlp.traces.protocol=http/protobuf}.
 *
 * <p>Decodes only what tests read (opentelemetry-proto's trace.proto: trace and span ids, parent, name, kind,
 * string/int/bool attributes, the resource's {@code service.name}); everything else is skipped by wire type.
 */
public final class OtlpReceiver implements AutoCloseable {

    /** Span kinds as numbered in trace.proto. */
    public static final int INTERNAL = 1, SERVER = 2, CLIENT = 3, PRODUCER = 4, CONSUMER = 5;

    /** One exported span; ids in lower-case hex, {@code parentSpanId} empty for a root span. */
    public record Span(String service, String traceId, String spanId, String parentSpanId, String name, int kind,
                       Map<String, String> attributes) {

        public String attribute(String key) {
            return attributes.get(key);
        }

        @Override
        public String toString() {
            return service + " '" + name + "' kind " + kind + " " + spanId + " <- " + parentSpanId + " " + attributes;
        }
    }

    private final HttpServer server;
    /** At most {@link #MAX_SPANS}, the oldest dropped first: a whole e2e run exports far more than one test reads. */
    private final Deque<Span> spans = new ConcurrentLinkedDeque<>();
    private final AtomicInteger kept = new AtomicInteger();
    static final int MAX_SPANS = 200_000;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> errors = new CopyOnWriteArrayList<>();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    /** Listens on a free port of 127.0.0.1. */
    public static OtlpReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            OtlpReceiver receiver = new OtlpReceiver(server);
            server.createContext("/v1/traces", exchange -> {
                try (exchange) {
                    byte[] body;
                    try (InputStream in = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                            ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
                        body = in.readAllBytes();
                    }
                    receiver.requests.incrementAndGet();
                    try {
                        receiver.keep(decodeRequest(body));
                    } catch (RuntimeException e) {
                        receiver.errors.add(e + " decoding " + HexFormat.of().formatHex(body));
                        exchange.sendResponseHeaders(400, -1);
                        return;
                    }
                    exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                    exchange.sendResponseHeaders(200, -1); // an empty ExportTraceServiceResponse
                }
            });
            server.setExecutor(Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "otlp-receiver");
                t.setDaemon(true);
                return t;
            }));
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL to configure as the (traces) endpoint, e.g. {@code http://127.0.0.1:41234}; OTLP/HTTP appends {@code /v1/traces}. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void keep(List<Span> received) {
        spans.addAll(received);
        for (int n = kept.addAndGet(received.size()); n > MAX_SPANS; n = kept.decrementAndGet()) {
            spans.pollFirst();
        }
    }

    /** How many export requests arrived (an application with nothing to export sends none). */
    public int requests() {
        return requests.get();
    }

    public List<Span> spans() {
        return List.copyOf(spans);
    }

    /** The spans of one trace received so far. */
    public List<Span> trace(String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    /** Waits until a span matching {@code condition} has arrived (exporters send in batches, every few seconds). */
    public Span await(Predicate<Span> condition, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            for (Span span : spans) {
                if (condition.test(span)) {
                    return span;
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no span matching the condition within " + timeout + "; received: " + spans
                        + (errors.isEmpty() ? "" : "; requests not understood: " + errors));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ---- protobuf wire format, just enough of opentelemetry-proto's ExportTraceServiceRequest

    static List<Span> decodeRequest(byte[] body) {
        List<Span> result = new ArrayList<>();
        Reader request = new Reader(body);
        while (request.more()) {
            int field = request.tag();
            if (field == 1) { // ResourceSpans
                Reader resourceSpans = request.message();
                String service = "";
                List<Reader> scopeSpans = new ArrayList<>();
                while (resourceSpans.more()) {
                    int f = resourceSpans.tag();
                    if (f == 1) { // Resource
                        Reader resource = resourceSpans.message();
                        while (resource.more()) {
                            if (resource.tag() == 1) {
                                String[] kv = keyValue(resource.message());
                                if (kv[0].equals("service.name")) {
                                    service = kv[1];
                                }
                            } else {
                                resource.skip();
                            }
                        }
                    } else if (f == 2) {
                        scopeSpans.add(resourceSpans.message());
                    } else {
                        resourceSpans.skip();
                    }
                }
                for (Reader scope : scopeSpans) {
                    while (scope.more()) {
                        if (scope.tag() == 2) {
                            result.add(span(service, scope.message()));
                        } else {
                            scope.skip();
                        }
                    }
                }
            } else {
                request.skip();
            }
        }
        return result;
    }

    private static Span span(String service, Reader span) {
        String traceId = "", spanId = "", parent = "", name = "";
        int kind = 0;
        Map<String, String> attributes = new HashMap<>();
        while (span.more()) {
            switch (span.tag()) {
                case 1 -> traceId = HexFormat.of().formatHex(span.bytes());
                case 2 -> spanId = HexFormat.of().formatHex(span.bytes());
                case 4 -> parent = HexFormat.of().formatHex(span.bytes());
                case 5 -> name = span.string();
                case 6 -> kind = (int) span.varint();
                case 9 -> {
                    String[] kv = keyValue(span.message());
                    attributes.put(kv[0], kv[1]);
                }
                default -> span.skip();
            }
        }
        return new Span(service, traceId, spanId, parent, name, kind, Map.copyOf(attributes));
    }

    /** KeyValue { key = 1; AnyValue value = 2 }, the value as text (string, bool, int or double). */
    private static String[] keyValue(Reader kv) {
        String key = "", value = "";
        while (kv.more()) {
            int f = kv.tag();
            if (f == 1) {
                key = kv.string();
            } else if (f == 2) {
                Reader any = kv.message();
                while (any.more()) {
                    switch (any.tag()) {
                        case 1 -> value = any.string();
                        case 2 -> value = Boolean.toString(any.varint() != 0);
                        case 3 -> value = Long.toString(any.varint());
                        case 4 -> value = Double.toString(Double.longBitsToDouble(any.fixed64()));
                        default -> any.skip();
                    }
                }
            } else {
                kv.skip();
            }
        }
        return new String[] {key, value};
    }

    private static final class Reader {
        private final byte[] buf;
        private int pos;
        private final int end;
        private int wireType;

        Reader(byte[] buf) {
            this(buf, 0, buf.length);
        }

        private Reader(byte[] buf, int from, int to) {
            this.buf = buf;
            this.pos = from;
            this.end = to;
        }

        boolean more() {
            return pos < end;
        }

        int tag() {
            long tag = varint();
            wireType = (int) (tag & 7);
            return (int) (tag >>> 3);
        }

        long varint() {
            long value = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = buf[pos++];
                value |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return value;
                }
            }
        }

        long fixed64() {
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value |= (long) (buf[pos++] & 0xff) << (8 * i);
            }
            return value;
        }

        Reader message() {
            int length = (int) varint();
            Reader inner = new Reader(buf, pos, pos + length);
            pos += length;
            return inner;
        }

        byte[] bytes() {
            int length = (int) varint();
            byte[] out = new byte[length];
            System.arraycopy(buf, pos, out, 0, length);
            pos += length;
            return out;
        }

        String string() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        void skip() {
            switch (wireType) {
                case 0 -> varint();
                case 1 -> pos += 8;
                case 2 -> {
                    int length = (int) varint(); // read before pos: "pos += varint()" would add to the old pos
                    pos += length;
                }
                case 5 -> pos += 4;
                default -> throw new IllegalStateException("unsupported wire type " + wireType);
            }
        }
    }

    /** For a test's failure message: the spans of one trace, one per line. */
    public static String describe(List<Span> spans) {
        return spans.stream().map(Span::toString).collect(Collectors.joining("\n"));
    }
}
