package io.concertticket.load.ceilings;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The machine's ceilings, measured in the same run as the platform's figures so that those can be read
 * as ratios: a plain PostgreSQL insert rate, a trivial Quarkus endpoint and a queue poll called
 * directly, a poll through the gateway against a poll through a bare Vert.x proxy (alternately), and
 * the poll cost with a large versus a small waiting room. Against a platform started by ./run.sh.
 *
 * <pre>
 * ./mvnw -Pload -pl load-tests/ceilings package
 * java -cp 'load-tests/ceilings/target/ceilings.jar:load-tests/ceilings/target/lib/*' \
 *      io.concertticket.load.ceilings.Ceilings
 * </pre>
 *
 * Settings are system properties ({@code -Dceil.seconds=15}); see {@link #main}.
 */
public final class Ceilings {

    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z]+)\"");
    private static final Pattern POSITION = Pattern.compile("\"position\"\\s*:\\s*(\\d+)");

    private final URI gateway = URI.create(System.getProperty("ceil.gateway", "http://127.0.0.1:8080"));
    private final URI queue = URI.create(System.getProperty("ceil.queue", "http://127.0.0.1:8081"));
    private final String jdbcUrl = System.getProperty("ceil.jdbcUrl", "jdbc:postgresql://127.0.0.1:5432/");
    private final String dbUser = System.getProperty("ceil.dbUser", "postgres");
    private final String dbPassword = System.getProperty("ceil.dbPassword", "postgres");
    private final int proxyPort = Integer.getInteger("ceil.proxyPort", 18080);
    private final int concurrency = Integer.getInteger("ceil.concurrency", 64);
    private final Duration warmup = Duration.ofSeconds(Integer.getInteger("ceil.warmupSeconds", 8));
    private final Duration duration = Duration.ofSeconds(Integer.getInteger("ceil.seconds", 10));
    private final int rounds = Integer.getInteger("ceil.rounds", 3);
    private final int insertThreads = Integer.getInteger("ceil.insertThreads", 16);
    /** Must equal QUEUE_ADMISSION_MAX_ACTIVE_PER_CONCERT: registrations past it stay WAITING. */
    private final int activeCap = Integer.getInteger("ceil.activeCap", 1000);
    private final int bigRoom = Integer.getInteger("ceil.bigRoom", 100_000);
    private final Set<String> steps = Arrays.stream(
            System.getProperty("ceil.steps", "insert,trivial,poll,ab,register,bigroom").split(","))
            .map(String::trim).collect(Collectors.toSet());
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final CpuSampler cpu = new CpuSampler(System.getProperty("ceil.dataDir",
            Path.of(System.getProperty("user.dir"), ".data").toString()));
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
    private final HttpLoad load = new HttpLoad(vertx);
    private final PrintStream out;

    private Ceilings(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(System.getProperty("ceil.out", "load-tests/target/results"));
        Files.createDirectories(dir);
        Path file = dir.resolve("ceilings-" + Instant.now().toString().replace(':', '-') + ".txt");
        try (PrintStream fileOut = new PrintStream(Files.newOutputStream(file), true, StandardCharsets.UTF_8)) {
            PrintStream tee = new PrintStream(new TeeStream(System.out, fileOut), true, StandardCharsets.UTF_8);
            Ceilings c = new Ceilings(tee);
            try {
                c.runAll();
            } finally {
                c.vertx.close();
            }
            tee.println("written to " + file);
        }
        System.exit(0);
    }

    private void runAll() throws Exception {
        out.printf("# ceilings %s: %d cores, gateway %s, queue-service %s, concurrency %d, %ss per run after %ss warm-up%n",
                Instant.now(), Runtime.getRuntime().availableProcessors(), gateway, queue, concurrency,
                duration.toSeconds(), warmup.toSeconds());
        out.println("# load average at start: " + Files.readString(Path.of("/proc/loadavg")).trim());

        if (steps.contains("insert")) {
            var before = cpu.sample();
            InsertCeiling.Result r = InsertCeiling.run(jdbcUrl, dbUser, dbPassword, insertThreads, duration);
            out.println(r.line());
            out.println("    " + CpuSampler.between(before, cpu.sample()));
        }
        if (steps.contains("trivial")) {
            measure("queue-service GET /q/health/live (direct)", queue, n -> HttpLoad.Request.get("/q/health/live", null));
        }

        List<String> waiting = List.of();
        if (steps.contains("poll") || steps.contains("ab") || steps.contains("bigroom")) {
            long room = roomId();
            out.printf("# waiting room %d: %d registrations to fill the active cap, then 10 that stay WAITING%n",
                    room, activeCap + 10);
            waiting = fillRoom(room, activeCap + 10, 10);
        }
        if (steps.contains("poll")) {
            List<String> tokens = waiting;
            measure("queue-service poll WAITING (direct)", queue, n -> HttpLoad.Request.get(
                    "/api/v1/queue/tokens/" + tokens.get((int) (n % tokens.size())), null));
        }
        if (steps.contains("ab")) {
            abGatewayVersusBareProxy(waiting);
        }
        if (steps.contains("register")) {
            long roomDirect = roomId();
            measure("queue-service register (direct)", queue, n -> HttpLoad.Request.post("/api/v1/queue/tokens",
                    "{\"concertId\":" + roomDirect + ",\"userId\":\"reg-" + run + "-d" + n + "\"}", null));
            long roomGateway = roomId();
            measure("register through the gateway", gateway, n -> HttpLoad.Request.post("/api/v1/queue/tokens",
                    "{\"concertId\":" + roomGateway + ",\"userId\":\"reg-" + run + "-g" + n + "\"}", clientAddress(n)));
        }
        if (steps.contains("bigroom") && bigRoom > 0) {
            pollCostVersusLineLength(waiting);
        }
    }

    /** Gateway and bare proxy, alternately, in front of the same queue-service; the ratio of medians. */
    private void abGatewayVersusBareProxy(List<String> tokens) throws Exception {
        Process proxy = startBareProxy();
        try {
            URI bare = URI.create("http://127.0.0.1:" + proxyPort);
            // both paths warmed (JIT, connection pools) before anything is recorded
            for (URI target : List.of(gateway, bare)) {
                load.run("warm-up", target.getHost(), target.getPort(), n -> HttpLoad.Request.get(
                        "/api/v1/queue/tokens/" + tokens.get((int) (n % tokens.size())), clientAddress(n)),
                        concurrency, warmup.plus(warmup), Duration.ofSeconds(1));
            }
            List<Double> viaGateway = new ArrayList<>();
            List<Double> viaProxy = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                viaGateway.add(measure("poll through the gateway, round " + r, gateway, n -> HttpLoad.Request.get(
                        "/api/v1/queue/tokens/" + tokens.get((int) (n % tokens.size())), clientAddress(n))).perSecond());
                viaProxy.add(measure("poll through a bare Vert.x proxy, round " + r, bare, n -> HttpLoad.Request.get(
                        "/api/v1/queue/tokens/" + tokens.get((int) (n % tokens.size())), clientAddress(n))).perSecond());
            }
            double g = median(viaGateway);
            double p = median(viaProxy);
            out.printf("gateway / bare proxy (medians of %d alternating rounds): %.0f / %.0f req/s = %s (target ≥ 90 %%)%n",
                    rounds, g, p, p > 0 ? String.format("%.1f %%", 100 * g / p) : "n/a");
        } finally {
            proxy.destroy();
            proxy.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A poll must cost the same with 100,000 waiting as with 10: direct on queue-service, alternately. */
    private void pollCostVersusLineLength(List<String> smallRoomTokens) throws Exception {
        long room = roomId();
        out.printf("# waiting room %d: filling with %d registrations (the poll-cost comparison)%n", room, activeCap + bigRoom);
        List<String> tail = fillRoom(room, activeCap + bigRoom, 10);
        for (int r = 1; r <= 2; r++) {
            measure("poll, 10 waiting in the room, round " + r, queue, n -> HttpLoad.Request.get(
                    "/api/v1/queue/tokens/" + smallRoomTokens.get((int) (n % smallRoomTokens.size())), null));
            measure("poll, " + bigRoom + " waiting, at the tail, round " + r, queue, n -> HttpLoad.Request.get(
                    "/api/v1/queue/tokens/" + tail.get((int) (n % tail.size())), null));
        }
    }

    private HttpLoad.Result measure(String name, URI target, HttpLoad.RequestSource source) {
        var before = cpu.sample();
        HttpLoad.Result r = load.run(name, target.getHost(), target.getPort(), source, concurrency, warmup, duration);
        var after = cpu.sample();
        out.println(r.line());
        out.println("    " + CpuSampler.between(before, after));
        return r;
    }

    /**
     * Registers {@code count} users in one room directly on queue-service (as fast as it goes), waits for
     * admission to reach the active cap, and returns the tokens of the last {@code keep}, which wait.
     */
    private List<String> fillRoom(long room, int count, int keep) throws Exception {
        String prefix = "fill-" + run + "-" + room + "-";
        long started = System.nanoTime();
        HttpLoad.Result r = load.run("fill room " + room, queue.getHost(), queue.getPort(),
                n -> n < count ? HttpLoad.Request.post("/api/v1/queue/tokens",
                        "{\"concertId\":" + room + ",\"userId\":\"" + prefix + n + "\"}", null) : null,
                32, Duration.ZERO, Duration.ofMinutes(30));
        out.printf("    filled: %d registrations in %.1f s (%.0f/s), statuses %s%n", r.requests(),
                (System.nanoTime() - started) / 1e9, r.perSecond(), r.statuses());
        List<String> tokens = new ArrayList<>();
        for (int n = count - keep; n < count; n++) {
            // registering again returns the existing token
            String body = post(queue, "/api/v1/queue/tokens", "{\"concertId\":" + room + ",\"userId\":\"" + prefix + n + "\"}");
            tokens.add(group(TOKEN, body));
        }
        Thread.sleep(3000); // a few admission ticks: the head fills the active cap, the tail keeps waiting
        String sample = get(queue, "/api/v1/queue/tokens/" + tokens.get(0));
        out.printf("    tail token: status %s, position %s%n", group(STATUS, sample), optionalGroup(POSITION, sample));
        if (!"WAITING".equals(group(STATUS, sample))) {
            out.println("    WARNING: the tail is not WAITING: is QUEUE_ADMISSION_MAX_ACTIVE_PER_CONCERT set to -Dceil.activeCap?");
        }
        return tokens;
    }

    private Process startBareProxy() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                BareProxy.class.getName(), Integer.toString(proxyPort), queue.getHost(), Integer.toString(queue.getPort()))
                .redirectErrorStream(true).start();
        BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String line;
        while (System.nanoTime() < deadline && (line = reader.readLine()) != null) {
            out.println("    " + line);
            if (line.startsWith(BareProxy.READY)) {
                Thread drain = new Thread(() -> reader.lines().forEach(l -> { }), "bare-proxy-output");
                drain.setDaemon(true);
                drain.start();
                return p;
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("the bare proxy did not start (port " + proxyPort + " taken? -Dceil.proxyPort=...)");
    }

    /** Distinct client addresses (IPv6 documentation prefix, header only), so the gateway's per-client limit is not hit. */
    private static String clientAddress(long n) {
        return "2001:db8::c:" + Long.toHexString(n % 4096);
    }

    /** Rooms no simulation uses: far above any concert id the operator API hands out. */
    private static long roomId() {
        return 900_000_000L + ThreadLocalRandom.current().nextLong(99_000_000L);
    }

    private String post(URI base, String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private String get(URI base, String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    private String send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(r.request().uri() + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private static String group(Pattern p, String s) {
        Matcher m = p.matcher(s);
        if (!m.find()) {
            throw new IllegalStateException("unexpected answer: " + s);
        }
        return m.group(1);
    }

    private static String optionalGroup(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? m.group(1) : "-";
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Writes to the console and the results file at once. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }
}
