package io.concertticket.load.ceilings;

import io.concertticket.testing.KeycloakAccounts;
import io.concertticket.testing.PlatformAdmin;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The machine's ceilings, measured in the same run as the platform's figures so that those can be read
 * as ratios: a plain PostgreSQL insert rate, a trivial Quarkus endpoint, a queue poll and a registration
 * called directly on queue-service, the same through the gateway as signed-in accounts, a poll through the
 * gateway against a poll through a bare Vert.x proxy (alternately), and the poll cost with a large versus a
 * small waiting room. Against a platform started by ./run.sh (load-tests/run-load.sh ceilings).
 *
 * <p><b>Who calls.</b> Through the gateway, Keycloak accounts {@code <ceil.accountPrefix>-1 ...}, created and
 * signed in before anything is measured (as the simulations' accounts), each with its identity token and a
 * client address of its own ({@code X-Forwarded-For}). Directly on queue-service, hop tokens as the gateway
 * would sign them, with the run's own key ({@link RunHopTokens}); without that key the direct figures, the A/B
 * (its bare proxy forwards hop tokens) and the big room are left out, and the output says so.
 *
 * <p><b>Registrations.</b> One place per account per concert, and only in a concert with an announced, open sale:
 * the rooms are concerts made through the operator API ({@link PlatformAdmin}), and a pool of {@code ceil.accounts}
 * accounts registers in {@code ceil.registerRooms} rooms one after another (a fixed number of registrations,
 * not a fixed time). The gateway remembers verified identity tokens and the hop tokens it signed per account,
 * so a pool's second room is cheaper for it than a real surge, where every registration is an account's first
 * request: that is measured separately with {@code ceil.freshAccounts} accounts the gateway has not seen.
 *
 * <pre>
 * ./mvnw -Pload -pl load-tests/ceilings package
 * java -cp 'load-tests/ceilings/target/ceilings.jar:load-tests/ceilings/target/lib/*' \
 *      -Dceil.dataDir=.data io.concertticket.load.ceilings.Ceilings
 * </pre>
 *
 * Settings are system properties ({@code -Dceil.seconds=15}); see the fields below and load-tests/README.md.
 */
public final class Ceilings {

    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z]+)\"");
    private static final Pattern POSITION = Pattern.compile("\"position\"\\s*:\\s*(\\d+)");

    private final URI gateway = URI.create(System.getProperty("ceil.gateway", "http://127.0.0.1:8080"));
    private final URI queue = URI.create(System.getProperty("ceil.queue", "http://127.0.0.1:8081"));
    /** queue-service's health and metrics (./run.sh: QUEUE_MANAGEMENT_PORT). */
    private final URI queueManagement = URI.create(System.getProperty("ceil.queueManagement", "http://127.0.0.1:9001"));
    private final String jdbcUrl = System.getProperty("ceil.jdbcUrl", "jdbc:postgresql://127.0.0.1:5432/");
    private final String dbUser = System.getProperty("ceil.dbUser", "postgres");
    private final String dbPassword = System.getProperty("ceil.dbPassword", "postgres");
    private final String issuer = System.getProperty("ceil.issuer", "http://127.0.0.1:8180/realms/concert").replaceAll("/+$", "");
    private final String keycloakAdmin = System.getProperty("ceil.keycloakAdmin", "admin");
    private final String keycloakAdminPassword = System.getProperty("ceil.keycloakAdminPassword", "admin");
    private final String operator = System.getProperty("ceil.operator", "operator1");
    private final String operatorPassword = System.getProperty("ceil.operatorPassword", operator);
    /** The simulations' accounts by default: existing ones are only signed in. */
    private final String accountPrefix = System.getProperty("ceil.accountPrefix", "load");
    /** The pool that polls and registers room after room through the gateway. */
    private final int poolSize = Integer.getInteger("ceil.accounts", 1000);
    /** Accounts the gateway has not seen, each registering once: a real surge's registration. */
    private final int freshSize = Integer.getInteger("ceil.freshAccounts", 2000);
    private final int registerRooms = Integer.getInteger("ceil.registerRooms", 10);
    /** ./run.sh's data directory: its PostgreSQL and Kafka for the CPU figures, its hop-token key. */
    private final Path dataDir = Path.of(System.getProperty("ceil.dataDir",
            Path.of(System.getProperty("user.dir"), ".data").toString()));
    private final Path hopTokenKey = Path.of(System.getProperty("ceil.hopTokenKey",
            dataDir.resolve("keys").resolve("hop-token-private.pem").toString()));
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
    private final CpuSampler cpu = new CpuSampler(dataDir.toString());
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
    private final HttpLoad load = new HttpLoad(vertx);
    private final Optional<RunHopTokens> hop = RunHopTokens.fromKey(hopTokenKey);
    private final KeycloakAccounts keycloak = new KeycloakAccounts(issuer, keycloakAdmin, keycloakAdminPassword);
    private final PrintStream out;
    private PlatformAdmin admin;
    /** Signed-in accounts: the pool, then the fresh ones ({@link #signIn}). */
    private List<Caller> pool = List.of();
    private List<Caller> fresh = List.of();
    private long identityExpires;

    /** Who sends a request: its account ({@code sub}), identity token (null for a made-up direct caller) and address. */
    private record Caller(String sub, String identityToken, String clientAddress) {
    }

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
        out.println("# " + InsertCeiling.durability(jdbcUrl, dbUser, dbPassword));
        boolean direct = hop.isPresent();
        out.println(direct
                ? "# direct calls to queue-service carry hop tokens signed with this run's key " + hopTokenKey
                : "# no hop-token key at " + hopTokenKey + " (-Dceil.dataDir / -Dceil.hopTokenKey): queue-service cannot be"
                  + " called directly, so the direct figures, the A/B (its bare proxy forwards hop tokens) and the big room are left out");

        if (steps.contains("insert")) {
            var before = cpu.sample();
            InsertCeiling.Result r = InsertCeiling.run(jdbcUrl, dbUser, dbPassword, insertThreads, duration);
            out.println(r.line());
            out.println("    " + CpuSampler.between(before, cpu.sample()));
        }
        if (steps.contains("trivial")) {
            measure("queue-service GET /q/health/live (management port)", queueManagement,
                    n -> HttpLoad.Request.get("/q/health/live", null, null));
        }

        Map<Caller, String> waiting = Map.of();
        if (direct && (steps.contains("poll") || steps.contains("ab") || steps.contains("bigroom"))) {
            signIn();
            long room = room("poll");
            out.printf("# waiting room %d: %d registrations to fill the active cap, then the %d pool accounts, who stay WAITING%n",
                    room, activeCap, pool.size());
            waiting = fillRoom(room, activeCap, pool);
        }
        if (direct && steps.contains("poll")) {
            List<Map.Entry<Caller, String>> polls = List.copyOf(waiting.entrySet());
            hop.get().renewFor(pool.stream().map(Caller::sub).toList(), warmup.plus(duration).toSeconds());
            measure("queue-service poll WAITING (direct)", queue, n -> {
                Map.Entry<Caller, String> p = polls.get((int) (n % polls.size()));
                return HttpLoad.Request.get("/api/v1/queue/tokens/" + p.getValue(), null, hop.get().token(p.getKey().sub()));
            });
        }
        if (direct && steps.contains("ab")) {
            abGatewayVersusBareProxy(List.copyOf(waiting.entrySet()));
        }
        if (steps.contains("register")) {
            signIn();
            registrations();
        }
        if (direct && steps.contains("bigroom") && bigRoom > 0) {
            pollCostVersusLineLength(List.copyOf(waiting.entrySet()));
        }
    }

    /**
     * Registration rates: directly on queue-service (if the run's key is readable), then through the gateway as
     * accounts it has not seen (each account's first request: identity token verified, hop token signed) and as
     * the pool, whose tokens the gateway has verified and signed before. Each a fixed number of registrations.
     */
    private void registrations() throws Exception {
        out.printf("# registrations: %d rooms × %d accounts per figure, after a room of warm-up; %d accounts the gateway has not seen%n",
                registerRooms, pool.size(), fresh.size());
        if (hop.isPresent()) {
            List<Caller> subjects = new ArrayList<>(pool.size());
            for (int i = 1; i <= pool.size(); i++) {
                subjects.add(new Caller("ceil-" + run + "-d" + i, null, null));
            }
            Function<Caller, String> hopToken = c -> hop.get().token(c.sub());
            register("warm-up (not a figure): queue-service register (direct)", queue, rooms("direct warm-up", 1), subjects, hopToken);
            List<Long> rooms = rooms("direct", registerRooms);
            hop.get().renewFor(subjects.stream().map(Caller::sub).toList(), 30);
            register("queue-service register (direct)", queue, rooms, subjects, hopToken);
        }
        List<Long> warmRoom = rooms("gateway warm-up", 1);
        List<Long> freshRoom = rooms("gateway, fresh accounts", 1);
        List<Long> rooms = rooms("gateway", registerRooms);
        register("warm-up (not a figure): register through the gateway", gateway, warmRoom, pool, Caller::identityToken);
        HttpLoad.Result first = register("register through the gateway, accounts new to it", gateway, freshRoom, fresh,
                Caller::identityToken);
        HttpLoad.Result again = register("register through the gateway, accounts seen before", gateway, rooms, pool,
                Caller::identityToken);
        out.printf("issue 17 target (register through the gateway ≥ 5,000/s, p99 < 50 ms, durable commits): accounts new to"
                        + " the gateway %.0f/s p99 %.1f ms, accounts seen before %.0f/s p99 %.1f ms; %s%n",
                first.perSecond(), first.millis(99), again.perSecond(), again.millis(99),
                InsertCeiling.durability(jdbcUrl, dbUser, dbPassword));
    }

    /**
     * Every caller registers once in each room, room after room, {@code concurrency} at a time, with the token
     * {@code bearer} gives it (identity token for the gateway, hop token for queue-service); timed from first to last.
     */
    private HttpLoad.Result register(String name, URI target, List<Long> rooms, List<Caller> callers,
                                     Function<Caller, String> bearer) {
        int n = callers.size();
        long total = (long) rooms.size() * n;
        var before = cpu.sample();
        HttpLoad.Result r = load.run(name, target.getHost(), target.getPort(), i -> {
            if (i >= total) {
                return null;
            }
            Caller c = callers.get((int) (i % n));
            String body = "{\"concertId\":" + rooms.get((int) (i / n)) + "}";
            return HttpLoad.Request.post("/api/v1/queue/tokens", body, c.clientAddress(), bearer.apply(c));
        }, concurrency, Duration.ZERO, Duration.ofMinutes(30));
        out.println(r.line());
        out.println("    " + CpuSampler.between(before, cpu.sample()));
        if (r.non2xx() > 0) {
            out.println("    WARNING: not every registration was accepted (201): the figure is not a registration rate");
        }
        return r;
    }

    /** Gateway and bare proxy, alternately, in front of the same queue-service; the ratio of medians. */
    private void abGatewayVersusBareProxy(List<Map.Entry<Caller, String>> polls) throws Exception {
        Process proxy = startBareProxy();
        try {
            URI bare = URI.create("http://127.0.0.1:" + proxyPort);
            List<String> subjects = polls.stream().map(p -> p.getKey().sub()).toList();
            // the same polls both ways: through the gateway with the account's identity token, through the bare
            // proxy with the hop token the gateway would have put in its place
            HttpLoad.RequestSource viaGatewaySource = n -> {
                Map.Entry<Caller, String> p = polls.get((int) (n % polls.size()));
                return HttpLoad.Request.get("/api/v1/queue/tokens/" + p.getValue(), p.getKey().clientAddress(),
                        p.getKey().identityToken());
            };
            HttpLoad.RequestSource viaProxySource = n -> {
                Map.Entry<Caller, String> p = polls.get((int) (n % polls.size()));
                return HttpLoad.Request.get("/api/v1/queue/tokens/" + p.getValue(), p.getKey().clientAddress(),
                        hop.get().token(p.getKey().sub()));
            };
            // both paths warmed (JIT, connection pools) before anything is recorded
            Duration warm = warmup.plus(warmup);
            load.run("warm-up", gateway.getHost(), gateway.getPort(), viaGatewaySource, concurrency, warm, Duration.ofSeconds(1));
            hop.get().renewFor(subjects, warm.toSeconds() + 1);
            load.run("warm-up", bare.getHost(), bare.getPort(), viaProxySource, concurrency, warm, Duration.ofSeconds(1));
            List<Double> viaGateway = new ArrayList<>();
            List<Double> viaProxy = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                viaGateway.add(measure("poll through the gateway, round " + r, gateway, viaGatewaySource).perSecond());
                hop.get().renewFor(subjects, warmup.plus(duration).toSeconds());
                viaProxy.add(measure("poll through a bare Vert.x proxy, round " + r, bare, viaProxySource).perSecond());
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

    /** A poll must cost the same with 100,000 waiting as with a thousand: direct on queue-service, alternately. */
    private void pollCostVersusLineLength(List<Map.Entry<Caller, String>> smallRoom) throws Exception {
        long room = room("big room");
        out.printf("# waiting room %d: filling with %d registrations (the poll-cost comparison)%n", room, activeCap + bigRoom);
        List<Caller> tailCallers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            tailCallers.add(new Caller("ceil-" + run + "-tail" + i, null, null));
        }
        List<Map.Entry<Caller, String>> tail = List.copyOf(fillRoom(room, activeCap + bigRoom, tailCallers).entrySet());
        List<String> subjects = new ArrayList<>(smallRoom.stream().map(p -> p.getKey().sub()).toList());
        tailCallers.forEach(c -> subjects.add(c.sub()));
        for (int r = 1; r <= 2; r++) {
            hop.get().renewFor(subjects, warmup.plus(duration).toSeconds());
            measure("poll, " + smallRoom.size() + " waiting in the room, round " + r, queue, directPolls(smallRoom));
            hop.get().renewFor(subjects, warmup.plus(duration).toSeconds());
            measure("poll, " + bigRoom + " waiting, at the tail, round " + r, queue, directPolls(tail));
        }
        // waiting places nobody polls are dropped after QUEUE_TOKENS_ABANDON_AFTER (5 min): a slow fill (a hop token
        // signed per registration) shortens the line before the polls end, which this shows
        Map.Entry<Caller, String> last = tail.get(0);
        String after = get(queue, "/api/v1/queue/tokens/" + last.getValue(), hop.get().token(last.getKey().sub()));
        out.printf("    the tail after the polls: status %s, position %s (the line was still that long)%n",
                group(STATUS, after), optionalGroup(POSITION, after));
    }

    private HttpLoad.RequestSource directPolls(List<Map.Entry<Caller, String>> polls) {
        return n -> {
            Map.Entry<Caller, String> p = polls.get((int) (n % polls.size()));
            return HttpLoad.Request.get("/api/v1/queue/tokens/" + p.getValue(), null, hop.get().token(p.getKey().sub()));
        };
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
     * Registers {@code head} made-up users in one room directly on queue-service (as fast as it goes, each
     * with a hop token of its own), then each of {@code tail} (in order, so they are last in line), waits for
     * admission to reach the active cap, and returns the tail's queue tokens, which wait.
     */
    private Map<Caller, String> fillRoom(long room, int head, List<Caller> tail) throws Exception {
        String prefix = "ceil-" + run + "-fill" + room + "-";
        long started = System.nanoTime();
        HttpLoad.Result r = load.run("fill room " + room, queue.getHost(), queue.getPort(),
                n -> n < head ? HttpLoad.Request.post("/api/v1/queue/tokens", "{\"concertId\":" + room + "}", null,
                        hop.get().token(prefix + n)) : null,
                32, Duration.ZERO, Duration.ofMinutes(30));
        out.printf("    filled: %d registrations in %.1f s (%.0f/s, a hop token signed for each), statuses %s%n", r.requests(),
                (System.nanoTime() - started) / 1e9, r.perSecond(), r.statuses());
        Map<Caller, String> tokens = new LinkedHashMap<>();
        for (Caller c : tail) {
            String body = post(queue, "/api/v1/queue/tokens", "{\"concertId\":" + room + "}", hop.get().token(c.sub()));
            tokens.put(c, group(TOKEN, body));
        }
        Thread.sleep(3000); // a few admission ticks: the head fills the active cap, the tail keeps waiting
        Caller first = tail.get(0);
        String sample = get(queue, "/api/v1/queue/tokens/" + tokens.get(first), hop.get().token(first.sub()));
        out.printf("    first of the last %d: status %s, position %s%n", tail.size(), group(STATUS, sample), optionalGroup(POSITION, sample));
        if (!"WAITING".equals(group(STATUS, sample))) {
            out.println("    WARNING: the tail is not WAITING: is QUEUE_ADMISSION_MAX_ACTIVE_PER_CONCERT set to -Dceil.activeCap?");
        }
        return tokens;
    }

    /**
     * Creates (first time) and signs in the pool and the fresh accounts, before anything is measured; again when
     * their identity tokens have less than 3 minutes left (15 min in the local realm).
     */
    private void signIn() {
        if (!pool.isEmpty() && identityExpires - System.currentTimeMillis() / 1000 > 180) {
            return;
        }
        int n = poolSize + freshSize;
        KeycloakAccounts.SignedInAccounts batch = keycloak.createAndSignIn(accountPrefix, n);
        List<Caller> callers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            KeycloakAccounts.SignedIn s = batch.signedIn().get(i);
            callers.add(new Caller(s.subject(), s.accessToken(), clientAddress(i + 1)));
        }
        pool = callers.subList(0, poolSize);
        fresh = callers.subList(poolSize, n);
        identityExpires = KeycloakAccounts.claims(batch.signedIn().get(0).accessToken()).path("exp").asLong();
        out.printf("# %d accounts (%s-1..%d: the pool %d, then %d new to the gateway) at %s created or found in %.1f s, signed in in %.1f s (not measured)%n",
                n, accountPrefix, n, poolSize, freshSize, issuer, batch.creating().toMillis() / 1e3, batch.signingIn().toMillis() / 1e3);
    }

    /** One room per registration figure: a concert with an open sale, through the operator API. */
    private long room(String purpose) {
        if (admin == null) {
            admin = new PlatformAdmin(gateway.toString().replaceAll("/+$", ""), () -> keycloak.signIn(operator, operatorPassword));
        }
        return admin.concertWithSchedule("Ceilings " + run + " " + purpose, 1, 1000).concertId();
    }

    private List<Long> rooms(String purpose, int count) {
        List<Long> rooms = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            rooms.add(room(purpose + " " + i));
        }
        return rooms;
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

    /**
     * A distinct client address per account (an IPv6 documentation address, header only), sent as
     * {@code X-Forwarded-For}: with {@code GATEWAY_RATE_LIMIT_TRUSTED_PROXIES=1} the gateway's per-address budget
     * applies per simulated device, not to the load generator (as the simulations' LoadAccounts does).
     */
    private static String clientAddress(long i) {
        return "2001:db8::c:" + Long.toHexString(i >>> 16) + ":" + Long.toHexString(i & 0xffff);
    }

    private String post(URI base, String path, String json, String bearer) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + bearer).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private String get(URI base, String path, String bearer) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + bearer).GET());
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
