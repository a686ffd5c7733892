package io.concertticket.concert.support;

import io.concertticket.infra.testing.SharedInfrastructure;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/** An empty database of its own with demo seeding on: the start of ./run.sh on a fresh machine. */
public class DemoDatabaseResource implements QuarkusTestResourceLifecycleManager {

    static final String DATABASE = "concert_demo";

    @Override
    public Map<String, String> start() {
        SharedInfrastructure.Endpoints infra = SharedInfrastructure.get();
        try (Connection c = DriverManager.getConnection(infra.jdbcUrl("postgres"), "postgres", "postgres");
             Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DATABASE);
            st.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", infra.bootstrapServers());
        config.put("quarkus.datasource.jdbc.url", infra.jdbcUrl(DATABASE));
        config.put("quarkus.datasource.username", "postgres");
        config.put("quarkus.datasource.password", "postgres");
        config.put("demo-data.enabled", "true");
        return config;
    }

    @Override
    public void stop() {
    }
}
