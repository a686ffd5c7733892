package io.concertticket.events;

import io.concertticket.infra.testing.SharedInfrastructure;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * Real PostgreSQL and Kafka for the test application (one pair per test JVM, from local-infra),
 * with a database of its own. {@code relay=off} starts the application without its relay, so a
 * test can play "the service died after its commit" and run relays by hand.
 */
public class EventBackboneInfra implements QuarkusTestResourceLifecycleManager {

    static final String DATABASE = "events";

    private boolean relay = true;

    @Override
    public void init(Map<String, String> initArgs) {
        relay = !"off".equals(initArgs.get("relay"));
    }

    @Override
    public Map<String, String> start() {
        SharedInfrastructure.Endpoints infra = SharedInfrastructure.get();
        try (Connection c = DriverManager.getConnection(infra.jdbcUrl("postgres"), "postgres", "postgres");
             Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (!rs.next()) {
                    st.execute("CREATE DATABASE " + DATABASE);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create database " + DATABASE, e);
        }
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", infra.bootstrapServers());
        config.put("quarkus.datasource.jdbc.url", infra.jdbcUrl(DATABASE));
        config.put("quarkus.datasource.username", "postgres");
        config.put("quarkus.datasource.password", "postgres");
        config.put("event-backbone.relay.enabled", Boolean.toString(relay));
        return config;
    }

    @Override
    public void stop() {
        // shared for the whole JVM; stopped by a shutdown hook
    }
}
