package io.concertticket.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A real Keycloak (the official distribution from Maven Central) in dev mode on loopback, with the
 * {@code concert} realm from {@code keycloak/concert-realm.json}.
 *
 * <p>The distribution is unpacked once per version into a cache shared by every checkout and instance
 * ({@code ~/.cache/concert-platform/}); each instance keeps its own H2 database under its data directory,
 * so tests and {@code ./run.sh} can run side by side.
 */
public final class KeycloakServer implements AutoCloseable {

    public static final String REALM = "concert";
    public static final String ADMIN_USERNAME = "admin";
    public static final String ADMIN_PASSWORD = "admin";
    private static final String REALM_RESOURCE = "/keycloak/concert-realm.json";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    /** What JBoss Threads needs on Java 24+ to reset a pool thread's thread-locals (see {@link #start}). */
    private static final String JAVA_LANG_OPEN = "--add-opens=java.base/java.lang=ALL-UNNAMED";

    private final Process process;
    private final int port;

    private KeycloakServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts Keycloak on {@code port} (its management interface on {@code managementPort}) with data in
     * {@code dataDir}; imports the realm unless it exists already; returns once the realm's discovery
     * document answers.
     */
    public static KeycloakServer start(int port, int managementPort, Path dataDir, boolean clean)
            throws IOException, InterruptedException {
        if (clean) {
            deleteRecursively(dataDir);
        }
        Files.createDirectories(dataDir);
        Distribution dist = Distribution.locate();
        List<String> command = List.of(dist.home().resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1",
                "--http-port=" + port,
                // 9000 by default: two instances (or anything else on 9000) would collide
                "--http-management-port=" + managementPort,
                // a fixed issuer whatever host name a request used (127.0.0.1 or localhost)
                "--hostname=http://127.0.0.1:" + port,
                // this instance's own H2 database instead of the shared distribution's data/h2; Keycloak's
                // schema has a column named VALUE, a keyword for H2 2.x (its default URL says the same)
                "--db-url=jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("keycloakdb") + ";NON_KEYWORDS=VALUE");
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("keycloak.log").toFile()));
        Map<String, String> env = pb.environment();
        env.put("JAVA_HOME", System.getProperty("java.home")); // the JDK running us: Java 21+
        env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
        // On Java 24+ the JBoss thread pool resets a worker's thread-locals through java.lang internals when the thread
        // ends (idle time-out, stop); without this opening each ending pool thread writes an IllegalAccessError's stack
        // trace to the log (kc.sh opens java.util, java.util.concurrent and java.security only). Appended to whatever
        // the caller's environment appends.
        env.merge("JAVA_OPTS_APPEND", JAVA_LANG_OPEN, (given, ours) -> given + " " + ours);
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USERNAME);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);

        long started = System.nanoTime();
        KeycloakServer server = new KeycloakServer(pb.start(), port);
        try {
            // The first start of a fresh distribution re-augments it for dev mode, writing into its lib/quarkus:
            // that start holds the cache lock until Keycloak answers, so two first starts never race.
            try (CacheLock ignored = dist.lockUnlessAugmented()) {
                server.awaitOk("/realms/master/.well-known/openid-configuration", dataDir);
                dist.markAugmented();
            }
            server.importRealmIfAbsent();
            server.awaitOk("/realms/" + REALM + "/.well-known/openid-configuration", dataDir);
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
        System.out.printf("Keycloak %s started in %d s on %s (log %s)%n", Distribution.version(),
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), server.issuer(), dataDir.resolve("keycloak.log"));
        return server;
    }

    public int port() {
        return port;
    }

    /** The realm's issuer, as in the tokens' {@code iss}: {@code http://127.0.0.1:<port>/realms/concert}. */
    public String issuer() {
        return issuerUrl(port);
    }

    public static String issuerUrl(int port) {
        return "http://127.0.0.1:" + port + "/realms/" + REALM;
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitOk(String path, Path dataDir) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Keycloak exited with " + process.exitValue() + "; see " + dataDir.resolve("keycloak.log"));
            }
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IOException("Keycloak did not answer " + path + " within " + START_TIMEOUT + "; see " + dataDir.resolve("keycloak.log"));
    }

    /**
     * Imports the realm through the admin API when it does not exist yet (what {@code --import-realm} does):
     * {@code --import-realm} only reads {@code <distribution>/data/import}, which every instance of the
     * shared distribution would share, while each instance has its own database.
     */
    private void importRealmIfAbsent() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        String adminToken = adminToken(http);
        HttpResponse<String> existing = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/admin/realms/" + REALM))
                .header("Authorization", "Bearer " + adminToken).build(), HttpResponse.BodyHandlers.ofString());
        if (existing.statusCode() == 200) {
            return;
        }
        byte[] realm;
        try (InputStream in = KeycloakServer.class.getResourceAsStream(REALM_RESOURCE)) {
            if (in == null) {
                throw new IOException(REALM_RESOURCE + " is not on the classpath");
            }
            realm = in.readAllBytes();
        }
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/admin/realms"))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(realm)).build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IOException("realm import failed: " + created.statusCode() + " " + created.body());
        }
    }

    private String adminToken(HttpClient http) throws IOException, InterruptedException {
        String form = "grant_type=password&client_id=admin-cli&username=" + enc(ADMIN_USERNAME) + "&password=" + enc(ADMIN_PASSWORD);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(response.body());
        if (response.statusCode() != 200 || !m.find()) {
            throw new IOException("admin sign-in failed: " + response.statusCode() + " " + response.body());
        }
        return m.group(1);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Stops Keycloak and anything it started (kc.sh execs the JVM, but be sure). */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * The unpacked distribution in the shared cache. The zip's location is written into
     * {@code keycloak-dist.properties} by the build (it is a dependency of this module, resolved by Maven).
     */
    record CacheLock(FileChannel channel) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            if (channel != null) {
                channel.close(); // releases the lock
            }
        }
    }

    record Distribution(Path home, Path lockFile, Path augmentedMarker) {

        static String version() {
            return properties().getProperty("keycloak.version");
        }

        static Distribution locate() throws IOException {
            Path zip = Path.of(properties().getProperty("keycloak.dist.zip"));
            if (!Files.isRegularFile(zip)) {
                throw new IOException("Keycloak distribution " + zip + " is missing; build local-infra (./mvnw install -pl local-infra) to download it");
            }
            Path cache = Path.of(System.getProperty("user.home"), ".cache", "concert-platform");
            Files.createDirectories(cache);
            String name = "keycloak-" + version();
            Distribution dist = new Distribution(cache.resolve(name), cache.resolve(name + ".lock"), cache.resolve(name + ".dev-augmented"));
            try (CacheLock ignored = dist.lock()) {
                if (!Files.isRegularFile(dist.home().resolve("bin/kc.sh"))) {
                    unpack(zip, cache, dist.home());
                }
            }
            return dist;
        }

        /** An exclusive lock on this distribution across processes, released by closing it. */
        CacheLock lock() throws IOException {
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            channel.lock();
            return new CacheLock(channel);
        }

        /** The lock while the distribution has never started in dev mode, else nothing to wait for. */
        CacheLock lockUnlessAugmented() throws IOException {
            if (Files.exists(augmentedMarker)) {
                return new CacheLock(null);
            }
            CacheLock lock = lock();
            if (Files.exists(augmentedMarker)) { // another process finished its first start while we waited
                lock.close();
                return new CacheLock(null);
            }
            return lock;
        }

        void markAugmented() throws IOException {
            if (!Files.exists(augmentedMarker)) {
                Files.writeString(augmentedMarker, "start-dev has re-augmented this distribution\n");
            }
        }

        /** Unpacks into a temporary directory and renames it into place: a half-unpacked copy is never used. */
        private static void unpack(Path zip, Path cache, Path home) throws IOException {
            long started = System.nanoTime();
            Path tmp = Files.createTempDirectory(cache, home.getFileName() + ".unpacking-");
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
                String prefix = home.getFileName() + "/";
                for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                    String name = e.getName().startsWith(prefix) ? e.getName().substring(prefix.length()) : e.getName();
                    Path target = tmp.resolve(name).normalize();
                    if (!target.startsWith(tmp)) {
                        throw new IOException("zip entry outside the distribution: " + e.getName());
                    }
                    if (e.isDirectory()) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                        if (name.startsWith("bin/") && name.endsWith(".sh")) {
                            if (!target.toFile().setExecutable(true)) {
                                throw new IOException("cannot make " + target + " executable");
                            }
                        }
                    }
                }
            }
            Files.move(tmp, home, StandardCopyOption.ATOMIC_MOVE);
            System.out.printf("Unpacked %s into %s in %d s%n", zip.getFileName(), home,
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        }

        private static Properties properties() {
            Properties p = new Properties();
            try (InputStream in = KeycloakServer.class.getResourceAsStream("/keycloak-dist.properties")) {
                if (in == null) {
                    throw new IOException("keycloak-dist.properties is not on the classpath");
                }
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return p;
        }
    }
}
