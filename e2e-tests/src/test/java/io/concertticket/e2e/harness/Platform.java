package io.concertticket.e2e.harness;

import io.concertticket.checker.CheckReport;
import io.concertticket.checker.CheckerOptions;
import io.concertticket.checker.InvariantChecker;
import io.concertticket.infra.HopTokenKeys;
import io.concertticket.infra.InfraProcess;
import io.concertticket.infra.testing.SharedInfrastructure;
import io.concertticket.testing.KeycloakAccounts;
import io.concertticket.testing.KeycloakAccounts.Account;
import io.concertticket.testing.KeycloakAccounts.SignedIn;

import io.concertticket.testing.OtlpReceiver;
import io.concertticket.testing.Sql;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The whole platform as separate processes, as ./run.sh starts it: PostgreSQL and Kafka (two
 * {@link InfraProcess}es started side by side, so Kafka alone can be stopped and restarted on the same port
 * and data), Keycloak (the tests' Keycloak of this build, {@link SharedInfrastructure#keycloakIssuer()}: started
 * by an earlier module's tests, or now) and the four services from their built {@code target/quarkus-app}, with
 * settings shortened for tests. The services get the hop-token key pair (PostgreSQL's InfraProcess made it) and
 * the issuer of Keycloak's {@code concert} realm, each
 * connects with its own database role, and each has a management port of its own. Users are accounts of
 * the realm ({@link #shoppers}); the operator is {@code operator1}. Logs go to {@code e2e-tests/target/e2e-logs/}.
 */
public final class Platform implements AutoCloseable {

    public static final String QUEUE = "queue-service";
    public static final String CONCERT = "concert-service";
    public static final String PAYMENT = "payment-service";
    public static final String GATEWAY = "api-gateway";

    /** Admission settings the scenarios rely on (and check). */
    public static final int ADMISSION_BATCH = 20;
    public static final Duration ADMISSION_TICK = Duration.ofSeconds(1);
    /** Long enough for a 30-second Kafka outage plus recovery; the expiry scenario restarts concert-service shorter. */
    public static final Duration NORMAL_HOLD = Duration.ofMinutes(5);

    private final Path root;
    private final Path target;
    private final Path logs;
    private final Path kafkaData;
    private final int kafkaPort;
    private final int kafkaControllerPort;
    private final InfraProcess postgres;
    /** The {@code concert} realm's issuer URL (OIDC_ISSUER). */
    private final String issuer;
    private final KeycloakAccounts accounts;
    private InfraProcess kafka;
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    /** Every service and gateway exports its spans here (OTLP/HTTP), as to a collector in a deployment. */
    private final OtlpReceiver traces = OtlpReceiver.start();
    /** The copied quarkus-run.jar of each service (second replicas run the same). */
    private Map<String, Path> jars = Map.of();
    private PemKeyPair accessTokenKeys;
    /** The settings {@link #startReplicas} gave both gateways beyond the replica URLs (taken back by {@link #stopReplicas}). */
    private Map<String, String> replicaGatewaySettings = Map.of();
    private final Instant startedAt = Instant.now();
    private Duration startup;
    private Duration infrastructureStartup;

    private Platform(Path root, Path target, InfraProcess postgres, String issuer, int kafkaPort, int kafkaControllerPort,
                     Path kafkaData) {
        this.root = root;
        this.target = target;
        this.logs = target.resolve("e2e-logs");
        this.postgres = postgres;
        this.issuer = issuer;
        this.accounts = new KeycloakAccounts(issuer);
        this.kafkaPort = kafkaPort;
        this.kafkaControllerPort = kafkaControllerPort;
        this.kafkaData = kafkaData;
    }

    public static Platform start() throws IOException {
        long t0 = System.nanoTime();
        Path root = Path.of(System.getProperty("e2e.root", "..")).toAbsolutePath().normalize();
        Path target = root.resolve("e2e-tests").resolve("target");
        Path logs = target.resolve("e2e-logs");
        deleteRecursively(logs);
        Files.createDirectories(logs);
        Map<String, Path> jars = copyServices(root, target);

        Path data = target.resolve("e2e-data");
        deleteRecursively(data);
        int kafkaPort = freePort();
        int controllerPort = freePort();
        // PostgreSQL, Kafka and Keycloak side by side (Keycloak: the build's, usually up already; else the longest,
        // half a minute and more on a busy machine); Kafka in a process of its own so that the broker alone can be stopped
        java.util.concurrent.CompletableFuture<String> keycloakStart = Crowd.background(SharedInfrastructure::keycloakIssuer);
        java.util.concurrent.CompletableFuture<InfraProcess> pgStart = Crowd.background(() -> startInfra(
                logs.resolve("postgres.log"), "--no-kafka", "--postgres-port", "0", "--data-dir", data.resolve("pg").toString()));
        java.util.concurrent.CompletableFuture<InfraProcess> kafkaStart = Crowd.background(() -> startInfra(
                kafkaLog(logs), kafkaOptions(kafkaPort, controllerPort, data.resolve("kafka"))));
        InfraProcess pg = await(pgStart, kafkaStart);
        InfraProcess broker = await(kafkaStart, pgStart);
        String issuer;
        try {
            issuer = keycloakStart.join();
        } catch (java.util.concurrent.CompletionException e) {
            pg.close();
            broker.close();
            throw new IOException("Keycloak did not start", e.getCause());
        }
        Platform p = new Platform(root, target, pg, issuer, kafkaPort, controllerPort, data.resolve("kafka"));
        p.kafka = broker;
        p.infrastructureStartup = Duration.ofNanos(System.nanoTime() - t0);
        // the brokers stop by themselves when this JVM goes (stdin closes); the services need telling
        Runtime.getRuntime().addShutdownHook(new Thread(p::close, "e2e-platform-stop"));
        try {
            p.startServices(jars);
            p.checkSignedInCallGoesThrough();
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
        p.startup = Duration.ofNanos(System.nanoTime() - t0);
        System.out.printf("e2e: platform up in %d s (PostgreSQL, Kafka and Keycloak in %d s; gateway %s, issuer %s, logs %s)%n",
                p.startup.toSeconds(), p.infrastructureStartup.toSeconds(), p.gatewayUrl(), issuer, logs);
        return p;
    }

    private static InfraProcess startInfra(Path log, String... options) {
        try {
            return InfraProcess.start(log, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The result of one start; if it failed, stops the others (once they are up) and throws. */
    @SafeVarargs
    private static InfraProcess await(java.util.concurrent.CompletableFuture<InfraProcess> start,
                                      java.util.concurrent.CompletableFuture<InfraProcess>... others) throws IOException {
        try {
            return start.join();
        } catch (java.util.concurrent.CompletionException e) {
            for (java.util.concurrent.CompletableFuture<InfraProcess> o : others) {
                try {
                    o.join().close();
                } catch (RuntimeException ignored) {
                    // failed as well
                }
            }
            Throwable cause = e.getCause();
            throw cause instanceof UncheckedIOException u ? u.getCause() : new IOException("infrastructure did not start", cause);
        }
    }

    private static Path kafkaLog(Path logs) {
        return logs.resolve("kafka-" + Instant.now().toEpochMilli() + ".log");
    }

    private static String[] kafkaOptions(int kafkaPort, int controllerPort, Path data) {
        return new String[] {"--no-postgres", "--kafka-port", Integer.toString(kafkaPort),
                "--kafka-controller-port", Integer.toString(controllerPort), "--data-dir", data.toString()};
    }

    /**
     * Copies each service's quarkus-app aside before launching it, so another build rewriting a
     * service's target/ in the meantime cannot pull the files from under a running or restarting JVM.
     */
    private static Map<String, Path> copyServices(Path root, Path target) throws IOException {
        Map<String, Path> jars = new LinkedHashMap<>();
        Path apps = target.resolve("e2e-apps");
        deleteRecursively(apps);
        for (String s : List.of(QUEUE, CONCERT, PAYMENT, GATEWAY)) {
            // -De2e.app.<service>=<dir> runs another build of a service (e.g. a branch built elsewhere)
            Path app = Path.of(System.getProperty("e2e.app." + s, root.resolve(s).resolve("target").resolve("quarkus-app").toString()));
            if (!Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
                throw new IllegalStateException(app.resolve("quarkus-run.jar") + " is missing: build the services first "
                        + "(./mvnw verify builds them before this module; or ./mvnw install -DskipTests)");
            }
            Path copy = apps.resolve(s);
            copyRecursively(app, copy);
            jars.put(s, copy.resolve("quarkus-run.jar"));
        }
        return jars;
    }

    private void startServices(Map<String, Path> jars) throws IOException {
        this.jars = jars;
        HopTokenKeys keys = postgres.hopTokenKeys();
        // spans go to the test's collector, in batches every 200 ms rather than every 5 s
        Map<String, String> tracing = Map.of(
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", traces.endpoint(),
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf",
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms");
        Map<String, String> common = new LinkedHashMap<>(tracing);
        common.put("DB_HOST", "127.0.0.1");
        common.put("DB_PORT", Integer.toString(postgres.postgresPort()));
        common.put("DB_POOL_MAX", "30");
        common.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers());
        // the gateway's hop tokens, verified with the public half of local-infra's key pair
        common.put("HOP_TOKEN_PUBLIC_KEY_LOCATION", keys.publicKey().toAbsolutePath().toString());

        // each service connects as the role that owns its database (password = role name), never as postgres
        Map<String, String> queue = new LinkedHashMap<>(common);
        queue.put("DB_NAME", "queue");
        queue.put("DB_USER", "queue");
        queue.put("DB_PASSWORD", "queue");
        queue.put("QUEUE_ADMISSION_BATCH_SIZE", Integer.toString(ADMISSION_BATCH));
        queue.put("QUEUE_ADMISSION_TICK", ADMISSION_TICK.toMillis() + "ms");
        queue.put("QUEUE_POLL_MAX_POLL_AFTER", "2s");
        // a configured signing key rather than one generated per JVM, so a second replica (ReplicasIT) signs alike
        accessTokenKeys = newAccessTokenKeys("access-token");
        queue.put("QUEUE_ACCESS_TOKEN_PRIVATE_KEY_LOCATION", accessTokenKeys.privateKey().toString());

        Map<String, String> concert = new LinkedHashMap<>(common);
        concert.put("DB_NAME", "concert");
        concert.put("DB_USER", "concert");
        concert.put("DB_PASSWORD", "concert");
        concert.put("CONCERT_RESERVATION_HOLD_DURATION", NORMAL_HOLD.toMillis() + "ms");

        Map<String, String> payment = new LinkedHashMap<>(common);
        payment.put("DB_NAME", "payment");
        payment.put("DB_USER", "payment");
        payment.put("DB_PASSWORD", "payment");
        // two cores shared by seven JVMs and other builds: SeatHeld was measured 23-30 s behind its hold
        // at load average 50, so a payment right after a hold waits that long for it (default 3s)
        payment.put("PAYMENT_SEAT_HELD_WAIT", "60s");
        // payment-service closes unpaid reservations' payment windows (concert-service frees seats only then)
        payment.put("PAYMENT_WINDOW_SWEEP_INTERVAL", "500ms");

        int queuePort = freePort();
        int concertPort = freePort();
        int paymentPort = freePort();
        Map<String, String> gateway = new LinkedHashMap<>(tracing);
        gateway.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers());
        gateway.put("GATEWAY_QUEUE_SERVICE_URL", "http://127.0.0.1:" + queuePort);
        gateway.put("GATEWAY_CONCERT_SERVICE_URL", "http://127.0.0.1:" + concertPort);
        gateway.put("GATEWAY_PAYMENT_SERVICE_URL", "http://127.0.0.1:" + paymentPort);
        gateway.put("OIDC_ISSUER", issuer);
        gateway.put("HOP_TOKEN_PRIVATE_KEY_LOCATION", keys.privateKey().toAbsolutePath().toString());
        // every simulated user comes from 127.0.0.1 (one address to the limiter of first-seen identity tokens),
        // and a user's polls and retries during the faults may come in bursts: limits out of the way
        gateway.put("GATEWAY_RATE_LIMIT_REQUESTS_PER_SECOND", "100000");
        gateway.put("GATEWAY_RATE_LIMIT_BURST", "100000");
        // this machine is shared with other builds (load far above its two cores): give the services time to
        // answer a cold burst rather than turn it into 503s; outages still answer at once (connection refused)
        gateway.put("GATEWAY_PROXY_CONNECT_TIMEOUT", "20s");
        gateway.put("GATEWAY_PROXY_RESPONSE_TIMEOUT", "90s");

        services.put(QUEUE, new ServiceProcess(QUEUE, jars.get(QUEUE), queuePort, freePort(), logs.resolve(QUEUE + ".log"), queue));
        services.put(CONCERT, new ServiceProcess(CONCERT, jars.get(CONCERT), concertPort, freePort(), logs.resolve(CONCERT + ".log"),
                concert));
        services.put(PAYMENT, new ServiceProcess(PAYMENT, jars.get(PAYMENT), paymentPort, freePort(), logs.resolve(PAYMENT + ".log"),
                payment));
        services.put(GATEWAY, new ServiceProcess(GATEWAY, jars.get(GATEWAY), freePort(), freePort(), logs.resolve(GATEWAY + ".log"),
                gateway));
        // the three services side by side (their start is mostly waiting on one another for CPU anyway),
        // the gateway last: it fetches queue-service's signing keys (and Keycloak's) at start
        List<java.util.concurrent.Callable<Void>> starts = new ArrayList<>();
        for (String name : List.of(QUEUE, CONCERT, PAYMENT)) {
            starts.add(() -> {
                services.get(name).start();
                return null;
            });
        }
        startAll(starts);
        services.get(GATEWAY).start();
    }

    /** The two halves of an access-token signing key as PEM files: PKCS#8 private key, X.509 public key. */
    public record PemKeyPair(Path privateKey, Path publicKey) {
    }

    /** The key queue-service was started with ({@code QUEUE_ACCESS_TOKEN_PRIVATE_KEY_LOCATION}). */
    public PemKeyPair accessTokenKeys() {
        return accessTokenKeys;
    }

    /**
     * A new RSA key pair for queue-service's access tokens, {@code <name>-private.pem} and {@code <name>-public.pem}
     * in {@code target/e2e-data/keys} (what {@code openssl genpkey} and {@code openssl pkey -pubout} give an operator).
     */
    public PemKeyPair newAccessTokenKeys(String name) throws IOException {
        Path dir = target.resolve("e2e-data").resolve("keys");
        java.security.KeyPair pair;
        try {
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            pair = generator.generateKeyPair();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Files.createDirectories(dir);
        Path privatePem = dir.resolve(name + "-private.pem");
        Path publicPem = dir.resolve(name + "-public.pem");
        Files.writeString(privatePem, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.writeString(publicPem, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        return new PemKeyPair(privatePem.toAbsolutePath(), publicPem.toAbsolutePath());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    // ---- second replicas (ReplicasIT) --------------------------------------------------------------

    /** The second replica of a service, or the second gateway: {@code queue-service-2}, {@code api-gateway-2}. */
    public static String second(String name) {
        return name + "-2";
    }

    /**
     * Starts a second JVM of queue-, concert- and payment-service (same databases, Kafka, hop-token and access-token
     * keys; other ports; smaller heap) and a second gateway, and restarts the first gateway: both gateways then get
     * both replicas of each service as a list of URLs, and both the {@code gatewaySettings}. All five side by side.
     */
    public void startReplicas(Map<String, String> gatewaySettings) throws IOException {
        replicaGatewaySettings = Map.copyOf(gatewaySettings);
        Map<String, String> gatewayChanges = new LinkedHashMap<>(gatewaySettings);
        List<java.util.concurrent.Callable<Void>> starts = new ArrayList<>();
        for (String name : List.of(QUEUE, CONCERT, PAYMENT)) {
            ServiceProcess first = services.get(name);
            ServiceProcess replica = new ServiceProcess(second(name), jars.get(name), freePort(), freePort(),
                    logs.resolve(second(name) + ".log"), first.env(), "256m");
            services.put(second(name), replica);
            gatewayChanges.put("GATEWAY_" + name.substring(0, name.indexOf('-')).toUpperCase(java.util.Locale.ROOT) + "_SERVICE_URL",
                    first.url() + "," + replica.url());
            starts.add(() -> {
                replica.start();
                return null;
            });
        }
        ServiceProcess gateway = services.get(GATEWAY);
        Map<String, String> secondEnv = new LinkedHashMap<>(gateway.env());
        secondEnv.putAll(gatewayChanges);
        ServiceProcess secondGateway = new ServiceProcess(second(GATEWAY), jars.get(GATEWAY), freePort(), freePort(),
                logs.resolve(second(GATEWAY) + ".log"), secondEnv, "256m");
        services.put(second(GATEWAY), secondGateway);
        starts.add(() -> {
            secondGateway.start();
            return null;
        });
        starts.add(() -> {
            gateway.restart(gatewayChanges);
            return null;
        });
        startAll(starts);
    }

    /** Stops the second replicas and gateway, and gives the first gateway back its single URLs and its own settings. */
    public void stopReplicas() throws IOException {
        Map<String, String> gatewayChanges = new LinkedHashMap<>();
        replicaGatewaySettings.keySet().forEach(setting -> gatewayChanges.put(setting, null));
        replicaGatewaySettings = Map.of();
        for (String name : List.of(QUEUE, CONCERT, PAYMENT, GATEWAY)) {
            ServiceProcess replica = services.remove(second(name));
            if (replica != null) {
                replica.stop();
            }
            if (!name.equals(GATEWAY)) {
                gatewayChanges.put("GATEWAY_" + name.substring(0, name.indexOf('-')).toUpperCase(java.util.Locale.ROOT) + "_SERVICE_URL",
                        services.get(name).url());
            }
        }
        services.get(GATEWAY).restart(gatewayChanges);
    }

    /** Runs the starts side by side (one thread each) and waits for all; the first failure is thrown. */
    private static void startAll(List<java.util.concurrent.Callable<Void>> starts) throws IOException {
        java.util.concurrent.ExecutorService starters = java.util.concurrent.Executors.newFixedThreadPool(starts.size());
        try {
            for (java.util.concurrent.Future<Void> f : starters.invokeAll(starts)) {
                f.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            starters.shutdown();
        }
    }

    /**
     * One signed-in call through the gateway to a service (the operator's wallet): the whole identity chain
     * (Keycloak sign-in, identity token verified by the gateway, hop token signed by it and verified by
     * payment-service) works, or the run stops here with the reason instead of every scenario timing out.
     */
    private void checkSignedInCallGoesThrough() {
        Identity op = Identity.signIn(accounts, new Account(Operator.USERNAME, Operator.PASSWORD));
        Api.Reply r = new Api(gatewayUrl(), Duration.ofSeconds(30)).get("/api/v1/users/me/points", Api.as(op.token(), null));
        if (!r.is(200) || !op.subject().equals(r.text("userId"))) {
            throw new IllegalStateException("a signed-in call through the gateway (GET /api/v1/users/me/points as "
                    + Operator.USERNAME + ") should answer 200 with the account, got " + r + "; gateway log:\n"
                    + services.get(GATEWAY).tail());
        }
    }

    // ---- where things are ----------------------------------------------------------------------

    public String gatewayUrl() {
        return services.get(GATEWAY).url();
    }

    /** A client of the public API. */
    public Api gatewayApi() {
        return new Api(gatewayUrl());
    }

    /** A service's own API port (what only the gateway should call): attacks that go around the gateway use it. */
    public String serviceUrl(String name) {
        return services.get(name).url();
    }

    /** The issuer of the local realm (OIDC_ISSUER). */
    public String issuer() {
        return issuer;
    }

    /** Accounts of the local realm: created in bulk, signed in with the password grant. */
    public KeycloakAccounts accounts() {
        return accounts;
    }

    /** The operator ({@code operator1}, role operator), calling the operator API through the gateway. */
    public Operator operator() {
        return operator(gatewayApi());
    }

    /** The operator calling through the given client (e.g. one that knows both gateways). */
    public Operator operator(Api api) {
        return new Operator(api, Identity.signIn(accounts, new Account(Operator.USERNAME, Operator.PASSWORD)));
    }

    /**
     * {@code n} new accounts {@code <prefix>-1 .. <prefix>-n} (one partialImport call), signed in, each a
     * shopper for {@code concertId}, in order.
     */
    public List<Shopper> shoppers(Api api, String prefix, int n, long concertId) {
        List<Account> created = accounts.create(prefix, n);
        List<SignedIn> signedIn = accounts.signInAll(created);
        List<Shopper> shoppers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            shoppers.add(new Shopper(api, new Identity(accounts, created.get(i), signedIn.get(i)), concertId));
        }
        return shoppers;
    }

    /** One new account, signed in, as a shopper for {@code concertId}. */
    public Shopper shopper(String name, long concertId) {
        return shoppers(gatewayApi(), name, 1, concertId).get(0);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    public String jdbcUrl(String database) {
        return postgres.jdbcUrl(database);
    }

    /**
     * platform-testing's {@link Sql} on one service's database, as {@code postgres} on read-only connections: what a
     * scenario verifies behind the API (the services change their data only through their API and events).
     */
    public Sql database(String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl(database));
        ds.setUser("postgres");
        ds.setPassword("postgres");
        ds.setReadOnly(true);
        return new Sql(ds);
    }

    public ServiceProcess service(String name) {
        return services.get(name);
    }

    public Duration startupTime() {
        return startup;
    }

    /** PostgreSQL, Kafka and Keycloak (side by side), part of {@link #startupTime()}. */
    public Duration infrastructureStartupTime() {
        return infrastructureStartup;
    }

    /** The spans every service and the gateway exported. */
    public OtlpReceiver traces() {
        return traces;
    }

    public Path logs() {
        return logs;
    }

    // ---- faults -------------------------------------------------------------------------------

    /** Stops the broker (graceful broker shutdown), keeping its data directory and ports. */
    public synchronized void stopKafka() {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }

    /** Starts (or restarts) the broker on the same ports and data directory. */
    public synchronized void startKafka() throws IOException {
        if (kafka != null) {
            return;
        }
        kafka = InfraProcess.start(kafkaLog(logs), kafkaOptions(kafkaPort, kafkaControllerPort, kafkaData));
    }

    /** Makes concert-service hold seats for {@code hold}, restarting it (gracefully) only if that changes. */
    public synchronized void ensureHoldDuration(Duration hold) throws IOException {
        ServiceProcess concert = services.get(CONCERT);
        String wanted = hold.toMillis() + "ms";
        if (!wanted.equals(concert.env().get("CONCERT_RESERVATION_HOLD_DURATION"))) {
            concert.restart(Map.of("CONCERT_RESERVATION_HOLD_DURATION", wanted));
        }
    }

    /** Brings back whatever a failed scenario left stopped (the broker, a service), so the next one starts whole. */
    public synchronized void heal() throws IOException {
        startKafka();
        for (ServiceProcess s : services.values()) {
            if (!s.alive()) {
                s.start();
            }
        }
    }

    // ---- verification ---------------------------------------------------------------------------

    public InvariantChecker checker(Duration settle) {
        return new InvariantChecker(new CheckerOptions(jdbcUrl("queue"), jdbcUrl("concert"), jdbcUrl("payment"),
                "postgres", "postgres", settle, 10));
    }

    /** Runs the invariant checker (waiting up to two minutes for events in flight) and prints its report. */
    public CheckReport checkInvariants(String after) {
        try {
            CheckReport report = checker(Duration.ofSeconds(120)).run();
            System.out.println("e2e: invariant checker after " + after + ":\n" + report.format());
            return report;
        } catch (SQLException e) {
            throw new IllegalStateException("invariant checker could not read the databases", e);
        }
    }

    private boolean closed;

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // all at once: nothing calls them any more, and each takes seconds to shut down gracefully (one after the
        // other, 14 s at the end of every run)
        List<Thread> stopping = services.values().stream().map(s -> Thread.ofVirtual().name("e2e-stop-" + s.name()).start(() -> {
            try {
                s.close();
            } catch (RuntimeException e) {
                System.err.println("e2e: stopping " + s.name() + " failed: " + e);
            }
        })).toList();
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        stopKafka();
        postgres.close(); // Keycloak is the build's: it stops with Maven (or this JVM, when it started one of its own)
        traces.close();
        System.out.printf("e2e: platform ran %d s in all%n", Duration.between(startedAt, Instant.now()).toSeconds());
    }

    // ---- helpers ---------------------------------------------------------------------------------

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
