package io.concertticket.load;

import java.time.Duration;

/**
 * Where the platform is and how hard to push it. Every value is a Java system property, so it can be
 * given on the Maven command line ({@code -Dload.baseUrl=http://127.0.0.1:18080}); the defaults match
 * a plain {@code ./run.sh}.
 */
public final class LoadSettings {

    private LoadSettings() {
    }

    /** The public entry: every simulated client request goes through the gateway. */
    public static String baseUrl() {
        return System.getProperty("load.baseUrl", "http://127.0.0.1:8080");
    }

    /**
     * The identity provider's issuer (the Keycloak realm {@code concert} that {@code ./run.sh} starts on
     * {@code KEYCLOAK_PORT}, 8180 by default): accounts are created there and signed in with the password grant.
     */
    public static String issuer() {
        return System.getProperty("load.issuer", "http://127.0.0.1:8180/realms/concert").replaceAll("/+$", "");
    }

    /** Keycloak's administrator (realm {@code master}), who creates the accounts: local-infra's admin/admin. */
    public static String keycloakAdmin() {
        return System.getProperty("load.keycloakAdmin", "admin");
    }

    public static String keycloakAdminPassword() {
        return System.getProperty("load.keycloakAdminPassword", "admin");
    }

    /** The account with the {@code operator} role that sets sales up through the gateway's {@code /api/v1/admin}. */
    public static String operatorUsername() {
        return System.getProperty("load.operator", "operator1");
    }

    public static String operatorPassword() {
        return System.getProperty("load.operatorPassword", operatorUsername());
    }

    /** The load accounts are {@code <prefix>-1 ... <prefix>-n} (password = user name), shared by all simulations. */
    public static String accountPrefix() {
        return System.getProperty("load.accountPrefix", "load");
    }

    /** PostgreSQL server of the platform (without a database name): read after a run for event lag. */
    public static String jdbcServerUrl() {
        return System.getProperty("load.jdbcUrl", "jdbc:postgresql://127.0.0.1:5432/");
    }

    public static String dbUser() {
        return System.getProperty("load.dbUser", "postgres");
    }

    public static String dbPassword() {
        return System.getProperty("load.dbPassword", "postgres");
    }

    public static int intProperty(String name, int defaultValue) {
        return Integer.getInteger(name, defaultValue);
    }

    public static Duration seconds(String name, int defaultSeconds) {
        return Duration.ofSeconds(Integer.getInteger(name, defaultSeconds));
    }

    /** Distinguishes the users and concerts of one run from those of earlier runs on the same data. */
    public static String runId() {
        return Long.toString(System.currentTimeMillis(), 36);
    }
}
