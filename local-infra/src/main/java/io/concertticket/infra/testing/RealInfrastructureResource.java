package io.concertticket.infra.testing;

import io.concertticket.infra.PostgresServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at real PostgreSQL and Kafka started by {@link SharedInfrastructure}.
 * Use {@code @WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "concert"))};
 * without a database argument only Kafka is configured (the gateway). With {@code @ResourceArg(name = "keycloak", value = "true")}
 * a Keycloak with the {@code concert} realm is started too and {@code quarkus.oidc.auth-server-url} points at its issuer.
 */
public class RealInfrastructureResource implements QuarkusTestResourceLifecycleManager {

    private String database;
    private boolean keycloak;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.get("database");
        keycloak = Boolean.parseBoolean(initArgs.get("keycloak"));
    }

    @Override
    public Map<String, String> start() {
        SharedInfrastructure.Endpoints infra = SharedInfrastructure.get();
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", infra.bootstrapServers());
        if (database != null) {
            config.put("quarkus.datasource.jdbc.url", infra.jdbcUrl(database));
            config.put("quarkus.datasource.username", PostgresServer.roleFor(database)); // the database's own role, as in production
            config.put("quarkus.datasource.password", PostgresServer.roleFor(database));
        }
        if (keycloak) {
            config.put("quarkus.oidc.auth-server-url", SharedInfrastructure.keycloakIssuer());
        }
        return config;
    }

    @Override
    public void stop() {
        // shared for the whole JVM; stopped by a shutdown hook
    }
}
